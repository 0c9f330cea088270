#!/usr/bin/env bash
# runs/verifier/predict.sh NAME... : shipped model, int8, raw predictions of runs/verifier/NAME.jsonl
cd /work/main
for n in "$@"; do
  in=runs/verifier/$n.jsonl
  case $n in dev) in=training/devset/whole-doc/whole-doc.jsonl;; test-neg2) in=data/finer4-neg2/test.jsonl;; val-neg2) in=data/finer4-neg2/validation.jsonl;; sample) in=../shared/data/finer139-sample/finer139_train_sample.jsonl;; esac
  s=$(date +%s)
  nice npm run -s finer -- predict --model public/models/finer-lens-small --backend int8 --no-thresholds --threads 1 --input $in --output runs/verifier/$n.pred.jsonl 2>&1 | grep -v "npm warn"
  echo "$n $(( $(date +%s) - s )) s"
done
