"""Fine-tune the NER of the base spaCy pipeline on CoNLL-2003 news, keeping its richer labels.

CoNLL has four classes; the warehouse wants spaCy's (PERSON, ORG, GPE, LOC, NORP, ...). So:
PER -> PERSON, ORG -> ORG, LOC -> LOC for gazetteer regions ("Europe") else GPE. A MISC span
takes the label the base model gives that exact span when it is one of the MISC kinds
(NORP, EVENT, PRODUCT, ...: "British" -> NORP), so the model learns not to call it a person,
an organisation or a place; otherwise it is marked *missing* ("-"), neither taught nor
punished. Each sentence (line) is one example; `spacy train` does the rest (ner_news.cfg).

    news-etl dev train-ner --train conll2003_train.jsonl --dev conll2003_dev.jsonl --out etl/models/ner_news
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

CONFIG = Path(__file__).with_name("ner_news.cfg")
# The shipped model's version: bump it with each model shipped. Articles' enrichment_version
# names it, so a load after a new model re-processes what the old one enriched.
MODEL_VERSION = "2.0.0"


def _label(gold_type: str, text: str) -> str | None:
    from etl.enrich.gazetteer import lookup_place

    if gold_type == "PER":
        return "PERSON"
    if gold_type == "ORG":
        return "ORG"
    if gold_type == "LOC":
        place = lookup_place(text)
        return "LOC" if place and place.type == "LOC" else "GPE"
    return None  # MISC: missing


MISC_KINDS = {"NORP", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW", "LANGUAGE"}


def examples_from_jsonl(nlp, path: Path) -> list:
    """One spaCy Example per line of every document; MISC as the base model reads it, or missing."""
    from spacy.training import Example, offsets_to_biluo_tags

    sentences = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text, gold = doc["text"], doc["gold"]
        pos = 0
        for sentence in text.split("\n"):
            start, end = pos, pos + len(sentence)
            pos = end + 1
            if sentence.strip():
                spans = [
                    (g["start"] - start, g["end"] - start, g["type"], g["text"])
                    for g in gold
                    if g["start"] >= start and g["end"] <= end
                ]
                sentences.append((sentence, spans))
    out = []
    for (sentence, spans), base in zip(sentences, nlp.pipe(s for s, _ in sentences)):
        base_labels = {(e.start_char, e.end_char): e.label_ for e in base.ents}
        pred = nlp.make_doc(sentence)
        known = []
        for s, e, gold_type, text in spans:
            label = _label(gold_type, text)
            if gold_type == "MISC" and base_labels.get((s, e)) in MISC_KINDS:
                label = base_labels[(s, e)]
            known.append((s, e, label))
        tags = offsets_to_biluo_tags(pred, [(s, e, lab or "MISC") for s, e, lab in known])
        for s, e, lab in known:
            if lab is None:
                for tok in pred:
                    if tok.idx >= s and tok.idx + len(tok) <= e:
                        tags[tok.i] = "-"
        out.append(Example.from_dict(pred, {"entities": tags}))
    return out


def _f1(nlp, examples) -> float:
    """Exact-span F1 over PERSON/ORG/GPE+LOC, as the CoNLL scorer counts PER/ORG/LOC."""
    group = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
    tp = fp = fn = 0
    docs = nlp.pipe([eg.reference.text for eg in examples], batch_size=256)
    for eg, doc in zip(examples, docs):
        gold = {(e.start_char, e.end_char, group[e.label_]) for e in eg.reference.ents if e.label_ in group}
        pred = {(e.start_char, e.end_char, group[e.label_]) for e in doc.ents if e.label_ in group}
        tp += len(gold & pred)
        fp += len(pred - gold)
        fn += len(gold - pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def train_ner(
    base_model: str, train_paths: list[Path], dev_path: Path, out_dir: Path, epochs: int = 10, seed: int = 0
) -> float:
    """Fine-tune with `spacy train` and the committed config (ner_news.cfg); the best
    evaluation's model goes to out_dir. Returns its dev F1 (PER/ORG/LOC, exact spans). The
    base model's static vectors, if it has any, are copied into the model and shipped with it."""
    import warnings

    import spacy
    from spacy.cli.train import train as spacy_train
    from spacy.tokens import DocBin

    from etl.enrich import NER_ONLY_EXCLUDE

    # Tokens that CoNLL splits differently ("Ala." vs "Ala" + ".") are left out of training.
    warnings.filterwarnings("ignore", message=r"\[W030\]")
    base = spacy.load(base_model, exclude=NER_ONLY_EXCLUDE)
    dev = examples_from_jsonl(base, dev_path)
    with tempfile.TemporaryDirectory(prefix="news-etl-train-") as tmp:
        corpora = {}
        train = [eg for path in train_paths for eg in examples_from_jsonl(base, path)]
        for name, examples in (("train", train), ("dev", dev)):
            corpora[name] = Path(tmp) / f"{name}.spacy"
            DocBin(docs=[eg.reference for eg in examples]).to_disk(corpora[name])
        overrides = {
            "paths.train": str(corpora["train"]),
            "paths.dev": str(corpora["dev"]),
            "paths.base_model": base_model,
            "system.seed": seed,
            "training.max_epochs": epochs,
        }
        spacy_train(CONFIG, Path(tmp) / "out", overrides=overrides)
        nlp = spacy.load(Path(tmp) / "out" / "model-best")
    f1 = _f1(nlp, dev)
    nlp.meta.update(
        name="ner_news",
        version=MODEL_VERSION,
        description=(
            f"{Path(base_model).name} NER fine-tuned on {' + '.join(Path(p).stem for p in train_paths)}"
            f" (MISC as the base model reads it, else missing); F1 on {Path(dev_path).stem} {f1:.4f}"
        ),
    )
    nlp.to_disk(out_dir)
    return f1
