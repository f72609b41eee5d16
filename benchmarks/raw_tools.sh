#!/bin/sh
# The hand-written pipeline pubpipe is measured against: pandoc for HTML and EPUB, pandoc with
# WeasyPrint for PDF, for each edition's Markdown file.
#   raw_tools.sh PANDOC OUTDIR [--parallel] MARKDOWN...
# Without --parallel the three formats run one after another; with it, side by side.
set -e
pandoc=$1
out=$2
shift 2
parallel=no
if [ "$1" = "--parallel" ]; then parallel=yes; shift; fi
mkdir -p "$out"
for markdown in "$@"; do
  name=$(basename "$(dirname "$markdown")")
  if [ "$parallel" = yes ]; then
    "$pandoc" -s -t html5 "$markdown" -o "$out/$name.html" &
    "$pandoc" "$markdown" --pdf-engine=weasyprint -o "$out/$name.pdf" &
    "$pandoc" -t epub3 "$markdown" -o "$out/$name.epub" &
    wait
  else
    "$pandoc" -s -t html5 "$markdown" -o "$out/$name.html"
    "$pandoc" "$markdown" --pdf-engine=weasyprint -o "$out/$name.pdf"
    "$pandoc" -t epub3 "$markdown" -o "$out/$name.epub"
  fi
done
