"""Development commands: benchmarks (bench, bench_scale), evaluation against gold corpora
(evaluate) and training the NER model (train). The pipeline never imports them."""
