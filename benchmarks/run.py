"""pubpipe against the hand-written raw-tools script, side by side in one run: medians, ratios, peak memory.

    make bench                      # or: .venv/bin/python benchmarks/run.py [--reps 5] [--book-reps 3]

Every scenario alternates its contenders (A, B, A, B, …) so that the machine's noise falls on
both alike; the targets are ratios between figures measured in the same run. Results go to
benchmarks/results/latest.json (rewritten after each book size), the plot to docs/performance.png,
a profile of the 300-page PDF to benchmarks/results/profile-300.txt, and a summary in Markdown to standard output.

pubpipe runs from a copy of src/pubpipe taken at the start (so edits to the working tree during
the run cannot change what is measured), with bytecode caching on, as in a normal installation.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))

from make_book import make_book
from speed import SPEED_TARGETS, speed_ratios, speed_scenarios


def pandoc() -> str:
    import pypandoc

    return str(pypandoc.get_pandoc_path())


class Runner:
    """Runs commands, timing each and reading its peak memory from the kernel (wait4)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def measure(self, command: list[str], cwd: Path | None = None) -> tuple[float, float, float]:
        """(wall seconds, peak resident MiB of the largest process in the command's tree, CPU seconds).

        CPU time (user + system, of the command and every process it waited for) does not grow
        when other work shares the machine, so it is the steadier figure on a busy machine;
        wall time is what a user waits, and the only one that shows what parallel work gains.
        """
        with tempfile.TemporaryFile() as errors:
            start = time.perf_counter()
            process = subprocess.Popen(command, cwd=cwd, env=self.env, stdout=subprocess.DEVNULL, stderr=errors)
            _, status, usage = os.wait4(process.pid, 0)
            elapsed = time.perf_counter() - start
            process.returncode = os.waitstatus_to_exitcode(status)
            if process.returncode != 0:
                errors.seek(0)
                raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors.read().decode()}")
        return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def summary(samples: list[tuple[float, float | None, float | None]]) -> dict[str, Any]:
    """Wall times' median, range and runs, from (wall s, peak MiB, CPU s) samples; "peak_mib" and the CPU figures
    only when every sample has them (the preview's refresh has no peak of its own: its server runs on)."""
    times = [t for t, _, _ in samples]
    found: dict[str, Any] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                             "runs": len(times)}
    peaks = [m for _, m, _ in samples if m is not None]
    if len(peaks) == len(samples):
        found["peak_mib"] = max(peaks)
    found["times"] = times
    cpu = [c for _, _, c in samples if c is not None]
    if len(cpu) == len(samples):
        found.update(cpu_median_s=statistics.median(cpu), cpu=cpu)
    return found


def figure(value: dict[str, Any], key: str, digits: int) -> str:
    """One figure of a summary for the Markdown table, or a dash where the scenario does not measure it."""
    return f"{value[key]:.{digits}f}" if key in value else "–"


def copy_article(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copytree(REPO / "source", target / "source")
    shutil.copytree(REPO / "styles", target / "styles")
    return target


def article_markdown(root: Path) -> list[Path]:
    return [root / "source" / lang / "article.md" for lang in ("en", "ru")]


def edit_paragraph(root: Path, number: int) -> None:
    """Change one paragraph of the Russian edition, differently each time (so the cache cannot answer)."""
    article = root / "source" / "ru" / "article.md"
    paragraphs = article.read_text(encoding="utf-8").split("\n\n")
    index = next(i for i, p in enumerate(paragraphs) if len(p) > 200 and not p.startswith(("#", "-", ">", "---")))
    words = paragraphs[index].split(" ")
    paragraphs[index] = " ".join(words[:-1] + [f"правка{number}", words[-1]])
    article.write_text("\n\n".join(paragraphs), encoding="utf-8")


def article_scenarios(runner: Runner, work: Path, reps: int, pubpipe: list[str]) -> dict[str, Any]:
    """Cold build, no-op, one-paragraph change; the raw-tools script one format after another and in parallel."""
    root = copy_article(work / "article")
    raw_out = work / "raw"
    raw = [str(HERE / "raw_tools.sh"), pandoc(), str(raw_out)]
    files = [str(p) for p in article_markdown(root)]
    build = [*pubpipe, "build", "-C", str(root)]
    samples: dict[str, list[tuple[float, float, float]]] = {k: [] for k in (
        "pubpipe_cold", "raw_sequential", "raw_parallel", "pubpipe_noop", "python_pass", "pubpipe_paragraph")}
    runner.measure(build)  # warm the bytecode and the file cache once
    for rep in range(reps):
        shutil.rmtree(root / "build", ignore_errors=True)
        samples["pubpipe_cold"].append(runner.measure([*build, "--force"]))
        # In the scratch folder: pandoc leaves its toPdfViaTempFile* files in the working directory if stopped.
        samples["raw_sequential"].append(runner.measure([*raw, *files], cwd=work))
        samples["pubpipe_noop"].append(runner.measure(build))
        samples["python_pass"].append(runner.measure([sys.executable, "-c", "pass"]))
        edit_paragraph(root, rep)
        samples["pubpipe_paragraph"].append(runner.measure(build))
        samples["raw_parallel"].append(runner.measure([*raw, "--parallel", *files], cwd=work))
        print(f"  article rep {rep + 1}/{reps}", file=sys.stderr)
    return {name: summary(values) for name, values in samples.items()}


def print_html(root: Path) -> tuple[Path, list[Path]]:
    """The HTML and stylesheets pubpipe's PDF backend gives WeasyPrint, written to files for the CLI."""
    from pubpipe.backends.base import BuildContext, Styles
    from pubpipe.backends.pdf import PdfBackend
    from pubpipe.building.editions import load_editions
    from pubpipe.building.jobs import template_environment
    from pubpipe.building.plan import build_time
    from pubpipe.i18n import catalogue
    from pubpipe.reading.project import load_project

    project = load_project(root)
    edition = load_editions(project, ["en"])["en"]
    backend = PdfBackend()
    styles = Styles.for_project(root)
    ctx = BuildContext(root=root, output=root / "unused.pdf", final_name=f"{project.slug}.pdf", styles=styles,
                       templates=template_environment(project), catalogue=catalogue("en"),
                       build_time=build_time(root), slug=project.slug)
    html = root / "source" / "print.html"  # beside en/, as the backend's base URL is source/
    html.write_text(backend.html(edition, ctx), encoding="utf-8")
    page = root / "page.css"
    page.write_text(f"@page {{ size: {edition.metadata.page_size}; }}\n", encoding="utf-8")
    sheets = [styles.path(name) for name in backend.styles if styles.path(name).is_file()]
    return html, [*sheets, page]


def pdf_pages(pubpipe: Path, weasyprint: Path) -> dict[str, int]:
    from pypdf import PdfReader

    return {"pubpipe": len(PdfReader(pubpipe).pages), "weasyprint": len(PdfReader(weasyprint).pages)}


def run_helper(name: str, args: list[str]) -> None:
    """The steps `helper()` runs in their own process; the answer is JSON on standard output."""
    if name == "print-html":
        html, sheets = print_html(Path(args[0]))
        print(json.dumps([str(html), [str(sheet) for sheet in sheets]]))
    elif name == "pages":
        print(json.dumps(pdf_pages(Path(args[0]), Path(args[1]))))
    else:
        raise SystemExit(f"unknown helper {name}")


def helper(env: dict[str, str], *args: str) -> Any:
    """Run a step of this script in a process of its own and read its JSON answer.

    Work that loads a whole book (pubpipe's parse, pypdf) stays out of this process: the kernel
    counts the parent's peak memory at the moment of a spawn into the child's peak (the
    `ru_maxrss` of an exec'd process keeps its pre-exec high-water mark), which would make every
    later measurement at least that large.
    """
    done = subprocess.run([sys.executable, __file__, "--helper", *args], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def book_scenarios(runner: Runner, work: Path, sizes: list[int], reps: int, pubpipe: list[str],
                   save: Any = lambda books: None) -> dict[str, Any]:
    """The generated book, PDF only: pubpipe against the weasyprint command on pubpipe's own HTML."""
    results: dict[str, Any] = {}
    for pages in sizes:
        root = make_book(pages, work / f"book{pages}")
        html_name, sheet_names = helper(runner.env, "print-html", str(root))
        html, sheets = Path(html_name), [Path(name) for name in sheet_names]
        weasy = [str(BIN / "weasyprint"), "--pdf-tags", *[a for s in sheets for a in ("-s", str(s))],
                 str(html), str(work / f"weasy{pages}.pdf")]
        build = [*pubpipe, "build", "-C", str(root), "-f", "pdf", "--force"]
        samples: dict[str, list[tuple[float, float, float]]] = {"pubpipe": [], "weasyprint": []}
        for rep in range(reps):
            samples["pubpipe"].append(runner.measure(build))
            samples["weasyprint"].append(runner.measure(weasy))
            print(f"  book {pages} rep {rep + 1}/{reps}", file=sys.stderr)
        results[str(pages)] = {name: summary(values) for name, values in samples.items()}
        results[str(pages)]["pages"] = helper(runner.env, "pages", str(root / "build" / "en" / f"book-{pages}.pdf"),
                                              str(work / f"weasy{pages}.pdf"))
        save(results)  # a long run keeps what it has measured so far
    return results


def profile(work: Path, pages: int, env: dict[str, str]) -> str:
    """pyinstrument's reading of one PDF build of the generated book, run in-process (-j 1)."""
    root = work / f"book{pages}"
    output = HERE / "results" / f"profile-{pages}.txt"
    subprocess.run([sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(output),
                    str(BIN / "pubpipe"), "build", "-C", str(root), "-f", "pdf", "--force", "-j", "1"],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    return output.read_text(encoding="utf-8")


def plot(books: dict[str, Any], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = sorted(int(k) for k in books)
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    for name, style in (("pubpipe", "o-"), ("weasyprint", "s--")):
        label = "pubpipe build -f pdf" if name == "pubpipe" else "weasyprint alone (same HTML)"
        left.plot(sizes, [books[str(s)][name]["median_s"] for s in sizes], style, label=label)
        right.plot(sizes, [books[str(s)][name]["peak_mib"] for s in sizes], style, label=label)
    left.set(xlabel="pages (requested)", ylabel="wall time, median (s)", title="Time")
    right.set(xlabel="pages (requested)", ylabel="peak resident memory (MiB)", title="Peak memory")
    for axis in (left, right):
        axis.grid(alpha=0.3)
        axis.legend()
        axis.set_ylim(bottom=0)
    figure.tight_layout()
    figure.savefig(target, dpi=110)


def ratios(article: dict[str, Any], books: dict[str, Any]) -> dict[str, Any]:
    m = {name: value["median_s"] for name, value in article.items()}
    found: dict[str, Any] = {
        "cold_vs_raw_sequential": m["pubpipe_cold"] / m["raw_sequential"],
        "cold_vs_raw_parallel": m["pubpipe_cold"] / m["raw_parallel"],
        "noop_seconds": m["pubpipe_noop"],
        "noop_vs_python_pass": m["pubpipe_noop"] / m["python_pass"],
        "noop_vs_raw_sequential": m["pubpipe_noop"] / m["raw_sequential"],
        "paragraph_vs_cold": m["pubpipe_paragraph"] / m["pubpipe_cold"],
    }
    for pages, value in books.items():
        found[f"book{pages}_time_vs_weasyprint"] = value["pubpipe"]["median_s"] / value["weasyprint"]["median_s"]
        found[f"book{pages}_memory_vs_weasyprint"] = value["pubpipe"]["peak_mib"] / value["weasyprint"]["peak_mib"]
    if "300" in books and "600" in books:
        for name in ("pubpipe", "weasyprint"):
            found[f"growth_600_vs_300_{name}"] = books["600"][name]["median_s"] / books["300"][name]["median_s"]
    # The same ratios in CPU time, which a busy machine disturbs far less than wall time.
    c = {name: value.get("cpu_median_s") for name, value in article.items()}
    if all(value is not None for value in c.values()):
        found.update({"cpu_cold_vs_raw_sequential": c["pubpipe_cold"] / c["raw_sequential"],
                      "cpu_noop_vs_python_pass": c["pubpipe_noop"] / c["python_pass"],
                      "cpu_noop_seconds": c["pubpipe_noop"],
                      "cpu_paragraph_vs_cold": c["pubpipe_paragraph"] / c["pubpipe_cold"]})
    for pages, value in books.items():
        if "cpu_median_s" in value["pubpipe"]:
            found[f"cpu_book{pages}_vs_weasyprint"] = (value["pubpipe"]["cpu_median_s"]
                                                       / value["weasyprint"]["cpu_median_s"])
    return found


TARGETS = [
    ("cold_vs_raw_sequential", "≤", 0.5, "cold full build ≤ 0.5 × raw tools one format after another"),
    ("noop_seconds", "≤", 0.3, "no-op rebuild ≤ 0.3 s"),
    ("noop_vs_python_pass", "≤", 10, "no-op rebuild ≤ 10 × `python -c pass`"),
    ("paragraph_vs_cold", "≤", 0.5, "one-paragraph change ≤ 0.5 × cold full build"),
    ("book300_time_vs_weasyprint", "≤", 1.10, "300-page PDF: time ≤ 1.10 × WeasyPrint alone"),
    ("book300_memory_vs_weasyprint", "≤", 1.2, "300-page PDF: peak memory ≤ 1.2 × WeasyPrint's"),
    ("growth_600_vs_300_pubpipe", "≤", 2.2, "600 pages ≤ 2.2 × the time of 300 pages"),
    ("cold_vs_raw_sequential", "≤", 0.75, "article (2 editions × 3 formats) cold ≤ 0.75 × the raw-tools script"),
    *SPEED_TARGETS,
]


def markdown(result: dict[str, Any]) -> str:
    lines = [f"Measured {result['date']} on {result['machine']}; load average {result.get('load_average')}.", "",
             "| scenario | median (s) | min–max (s) | CPU median (s) | peak MiB | runs |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, value in result["article"].items():
        lines.append(f"| article: {name} | {value['median_s']:.3f} | {value['min_s']:.3f}–{value['max_s']:.3f} | "
                     f"{figure(value, 'cpu_median_s', 3)} | {figure(value, 'peak_mib', 0)} | {value['runs']} |")
    for pages, value in result["books"].items():
        for name in ("pubpipe", "weasyprint"):
            v = value[name]
            lines.append(f"| book {pages} p. ({value['pages'][name]} printed): {name} | {v['median_s']:.2f} | "
                         f"{v['min_s']:.2f}–{v['max_s']:.2f} | {figure(v, 'cpu_median_s', 2)} | "
                         f"{figure(v, 'peak_mib', 0)} | {v['runs']} |")
    speed = result.get("speed") or {}
    for name, v in speed.items():
        if isinstance(v, dict):
            lines.append(f"| book {speed['pages']} p., {speed['chapters']} chapters: {name} | {v['median_s']:.2f} | "
                         f"{v['min_s']:.2f}–{v['max_s']:.2f} | {figure(v, 'cpu_median_s', 2)} | "
                         f"{figure(v, 'peak_mib', 0)} | {v['runs']} |")
    lines += ["", "| target | measured | met |", "| --- | ---: | :---: |"]
    for key, _, limit, text in TARGETS:
        if key in result["ratios"]:
            value = result["ratios"][key]
            lines.append(f"| {text} | {value:.3f} | {'yes' if value <= limit else '**no**'} |")
    lines += ["", "Other ratios: " + ", ".join(f"{k} = {v:.3f}" for k, v in result["ratios"].items()
                                               if k not in {t[0] for t in TARGETS})]
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> None:
    if sys.argv[1:2] == ["--helper"]:
        run_helper(sys.argv[2], sys.argv[3:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="runs of each article scenario")
    parser.add_argument("--book-reps", type=int, default=3, help="runs of each book size")
    parser.add_argument("--pages", default="150,300,600", help="book sizes, comma-separated ('' for none)")
    parser.add_argument("--results", default="latest", help="name of the JSON file in benchmarks/results/")
    parser.add_argument("--speed-reps", type=int, default=3,
                        help="runs of each 'books at speed' scenario (benchmarks/speed.py; 0: none)")
    parser.add_argument("--profile-pages", type=int, default=300,
                        help="which book size to profile with pyinstrument (0: none)")
    arguments = parser.parse_args()

    (HERE / "results").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pubpipe-bench-") as temp:
        work = Path(temp)
        import pubpipe

        code = work / "code"
        shutil.copytree(Path(pubpipe.__file__).parent, code / "pubpipe", ignore=shutil.ignore_patterns("__pycache__"))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=str(code), SOURCE_DATE_EPOCH="1700000000",
                   PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        sys.path.insert(0, str(code))
        runner = Runner(env)
        command = [str(BIN / "pubpipe")]
        print("article scenarios…", file=sys.stderr)
        article = article_scenarios(runner, work, arguments.reps, command)
        speed: dict[str, Any] = {}
        if arguments.speed_reps:
            print("books at speed…", file=sys.stderr)
            speed = speed_scenarios(runner, work, arguments.speed_reps, command, pandoc())
        target = HERE / "results" / f"{arguments.results}.json"

        def save(books: dict[str, Any]) -> dict[str, Any]:
            result = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
                      "machine": machine(), "load_average": os.getloadavg(), "article": article, "books": books,
                      "speed": speed, "ratios": {**ratios(article, books), **(speed_ratios(speed) if speed else {})}}
            target.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
            return result

        result = save({})
        print("book scenarios…", file=sys.stderr)
        sizes = [int(size) for size in arguments.pages.split(",") if size.strip()]
        books = book_scenarios(runner, work, sizes, arguments.book_reps, command, save)
        result = save(books)
        if arguments.profile_pages in sizes:
            print("profile…", file=sys.stderr)
            profile(work, arguments.profile_pages, env)
        if books:
            plot(books, REPO / "docs" / "performance.png")
    print(markdown(result))


if __name__ == "__main__":
    main()
