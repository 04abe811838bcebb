-- What the manifest knows of a partition's files: whether each is unchanged since it was
-- loaded (same hash, same enrichment version).

select
    path,
    sha256,
    enrichment_version,
    outcome
from ops.file_manifest
where partition_date = :partition;
