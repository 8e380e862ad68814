#!/usr/bin/env python3
"""Checks the SZPoN sample course (course/): XML well-formedness, links, block counts, size, olxcleaner.

Usage: python3 check_course.py [--no-olxcleaner]
Exit code 0 when everything passes. olxcleaner (`pip install olxcleaner`) is run through its Python API
the way Open edX Studio runs it on import (cms/djangoapps/contentstore/tasks.py: validate_course_olx),
i.e. with allowed_xblocks = the XBlocks the course enables in advanced_modules (poll, survey).
"""
import json
import os
import re
import sys
import xml.dom.minidom
import xml.etree.ElementTree as ET
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
COURSE = os.path.join(HERE, "course")
STATIC = os.path.join(COURSE, "static")
MAX_BYTES = 2 * 1024 * 1024
STATIC_LINK = re.compile(r"/static/([^\"'\s<>?#)&]+)")

problems = []


def fail(msg):
    problems.append(msg)
    print("FAIL", msg)


def all_files():
    for dirpath, _, files in os.walk(COURSE):
        for f in sorted(files):
            yield os.path.join(dirpath, f)


def check_xml():
    n = 0
    for path in all_files():
        if path.endswith(".xml"):
            n += 1
            try:
                xml.dom.minidom.parse(path)
            except Exception as e:  # noqa: BLE001
                fail(f"{os.path.relpath(path, COURSE)} does not parse: {e}")
    print(f"xml: {n} files parsed")


def load(tag, url_name):
    return ET.parse(os.path.join(COURSE, tag, url_name.replace(":", "/") + ".xml")).getroot()


def walk(el, counts, ids, graded):
    """Count blocks reachable from the course root, following pointer tags like Open edX does."""
    tag = el.tag
    is_pointer = len(el) == 0 and not (el.text or "").strip() and set(el.attrib) <= {"url_name"} and "url_name" in el.attrib
    url_name = el.get("url_name")
    if is_pointer:
        el = load(tag, url_name)
    if tag == "wiki":
        return
    counts[tag] += 1
    ids.add(url_name)
    if tag == "sequential" and el.get("graded") == "true":
        graded.append((el.get("display_name"), el.get("format"), el.get("due")))
    if tag == "problem":
        for sub in el.iter():
            if sub.tag.endswith("response"):
                counts["  " + sub.tag] += 1
        return
    if tag in ("html", "video"):
        return
    for child in el:
        walk(child, counts, ids, graded)


def check_tree():
    root = ET.parse(os.path.join(COURSE, "course.xml")).getroot()
    run = root.get("url_name")
    key = f"course-v1:{root.get('org')}+{root.get('course')}+{run}"
    run_el = load("course", run)
    counts, ids, graded = Counter(), set(), []
    counts["course"] += 1
    ids.add(run)
    for child in run_el:
        walk(child, counts, ids, graded)
    print(f"course key: {key}")
    print("blocks reachable from the course root:")
    for tag, n in counts.items():
        print(f"  {tag}: {n}")
    for g in graded:
        print(f"graded subsection: {g[0]!r} format={g[1]} due={g[2]}")
    return run, run_el, ids


def check_links(run, run_el, ids):
    text_exts = (".xml", ".html", ".json")
    n_static = n_jump = 0
    for path in all_files():
        rel = os.path.relpath(path, COURSE)
        if not path.endswith(text_exts) or rel.startswith("policies/assets.json"):
            continue
        text = open(path, encoding="utf-8").read()
        for m in re.finditer(STATIC_LINK, text):
            n_static += 1
            if not os.path.isfile(os.path.join(STATIC, m.group(1))):
                fail(f"{rel}: /static/{m.group(1)} does not exist")
        for m in re.finditer(r"/jump_to_id/([\w\-.:~]+)", text):
            n_jump += 1
            if m.group(1) not in ids:
                fail(f"{rel}: /jump_to_id/{m.group(1)} points to no block of the course")
    # transcripts are referenced by bare file name, like Open edX exports do
    n_tr = 0
    for path in all_files():
        if "/video/" in path and path.endswith(".xml"):
            el = ET.parse(path).getroot()
            names = list(json.loads(el.get("transcripts", "{}")).values())
            names += [t.get("src") for t in el.findall("transcript")]
            for name in names:
                n_tr += 1
                if not os.path.isfile(os.path.join(STATIC, name)):
                    fail(f"{os.path.relpath(path, COURSE)}: transcript {name} not in static/")
    image = run_el.get("course_image")
    if not image or not os.path.isfile(os.path.join(STATIC, image)):
        fail(f"course_image {image!r} not in static/")
    assets = json.load(open(os.path.join(COURSE, "policies", "assets.json"), encoding="utf-8"))
    on_disk = set(os.listdir(STATIC))
    if set(assets) != on_disk:
        fail(f"policies/assets.json and static/ differ: {sorted(set(assets) ^ on_disk)}")
    grading = json.load(open(os.path.join(COURSE, "policies", run, "grading_policy.json"), encoding="utf-8"))
    total = sum(g["weight"] for g in grading["GRADER"])
    if abs(total - 1.0) > 1e-9:
        fail(f"grader weights sum to {total}, not 1.0")
    print(f"links: {n_static} /static/ links, {n_jump} jump_to_id links, {n_tr} transcript references: checked")


def check_size():
    total = sum(os.path.getsize(p) for p in all_files())
    print(f"size: {total} bytes")
    if total > MAX_BYTES:
        fail(f"course folder is {total} bytes (> {MAX_BYTES})")


def check_olxcleaner(run_el):
    try:
        import olxcleaner
        from olxcleaner.exceptions import ErrorLevel
        from olxcleaner.reporting import report_error_summary, report_errors
    except ImportError:
        fail("olxcleaner is not installed (pip install olxcleaner)")
        return
    allowed = json.loads(run_el.get("advanced_modules", "[]"))
    _, errorstore, _ = olxcleaner.validate(os.path.join(COURSE, "course.xml"), steps=8, allowed_xblocks=allowed)
    for line in report_errors(errorstore) + report_error_summary(errorstore):
        print("olxcleaner", line)
    n_err = sum(1 for e in errorstore.errors if e.level_val >= ErrorLevel.ERROR.value)
    print(f"olxcleaner (allowed_xblocks={allowed}): {n_err} errors")
    if n_err:
        fail(f"olxcleaner reported {n_err} errors")


def main():
    check_xml()
    run, run_el, ids = check_tree()
    check_links(run, run_el, ids)
    check_size()
    if "--no-olxcleaner" not in sys.argv:
        check_olxcleaner(run_el)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
