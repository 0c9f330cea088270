#!/usr/bin/env bash
# npm run train:default: the shipped model, public/models/finer-lens-small, from
# the filings in ../shared/data/ixbrl (or $FILINGS), by one command:
#   filings -> datasets -> vocabulary -> 4-entity dataset with negatives -> training
#   -> evaluation -> export (HF folder, ONNX fp32 + int8) -> comparison
# Every step writes atomically; a killed run continues from its last checkpoint
# when started again. Datasets go to data/, the run to runs/ (both ignored by git);
# delete them to start over.
set -euo pipefail
cd "$(dirname "$0")/../.."
FILINGS=${FILINGS:-../shared/data/ixbrl}
NAME=${NAME:-finer-lens-small}
RUN=runs/$NAME
SAMPLE=${SAMPLE:-../shared/data/finer139-sample/finer139_train_sample.jsonl}
finer() { npm run -s finer -- "$@"; }
step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)" >&2; }

step "1/8 labelled sentences of the filings (sentences with any FiNER-139 tag)"
[ -f data/ixbrl139/dataset_info.json ] || finer ixbrl "$FILINGS" --out data/ixbrl139
step "2/8 all prose sentences (for the vocabulary)"
[ -f data/ixbrl-all/dataset_info.json ] || finer ixbrl "$FILINGS" --out data/ixbrl-all --all-sentences
step "3/8 WordPiece vocabulary of the train-split companies' prose"
[ -f data/vocab16k/vocab.txt ] || finer vocab --data data/ixbrl-all --out data/vocab16k --size 16000
step "4/8 the 4-entity dataset plus 2 negatives (sentences with only other tags) per target sentence"
[ -f data/finer4-neg2/dataset_info.json ] || finer subset data/ixbrl139 --out data/finer4-neg2 --negatives 2 --seed 42
step "5/8 training from random weights (early stopping on validation entity F1)"
if [ -f "$RUN/last" ]; then
  finer train --data data/finer4-neg2 --resume "$RUN" --report public/reports/train.json
elif [ ! -f "$RUN/model.safetensors" ]; then
  finer train --data data/finer4-neg2 --vocab-file data/vocab16k/vocab.txt --out "$RUN" \
    --layers 4 --dim 256 --heads 4 --hidden 1024 --max-positions 512 \
    --epochs "${EPOCHS:-12}" --batch-size 32 --lr 5e-4 --warmup 300 --max-length 128 --stride 32 \
    --patience 3 --save-every 500 --seed 42 --report public/reports/train.json
fi
step "6/8 evaluation: test split (companies never seen in training) and the FiNER-139 sample"
finer evaluate --model "$RUN" --data data/finer4-neg2 "$SAMPLE" --out public/reports/eval.json
step "7/8 export"
finer export --model "$RUN" --out "public/models/$NAME" --eval public/reports/eval.json \
  --data-note "$(node -e 'const i=require("./data/finer4-neg2/dataset_info.json");const s=i.splits;console.log(`Built by \`finer ixbrl\` + \`finer subset --negatives 2\` from 910 inline-XBRL 10-K/10-Q filings (the filers'"'"' own us-gaap tags on prose numbers), split by company 80/10/10 so that test companies are never seen in training: train ${s.train.sentences} sentences (${s.train.negatives} of them negatives that hold only other FiNER-139 tags), validation ${s.validation.sentences}, test ${s.test.sentences}.`)')"
step "8/8 comparison: checkpoint, ONNX fp32, ONNX int8, transformers.js"
finer compare --model "public/models/$NAME" --data data/finer4-neg2 --out public/reports/compare.json
step "done: public/models/$NAME, public/reports/{train,eval,compare}.json"
