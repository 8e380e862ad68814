#!/usr/bin/env python3
"""Validates an OLX course with Open edX's own validator, olxcleaner, the way Open edX Studio does on import.

    olxcheck.py PATH [--steps N]

PATH is a course export (`.tar.gz`, `.tgz`, `.tar`) or a directory. Prints one JSON line and exits 0:

    {"course_dir": "...", "steps": 8, "allowed_xblocks": [...],
     "errors": [{"class": "UnexpectedTag", "file": "vertical/x.xml", "message": "..."}, ...],
     "warnings": [...]}

How Studio calls it (edx-platform `cms/djangoapps/contentstore/tasks.py`, `validate_course_olx`):
`olxcleaner.validate(filename=course_dir, steps=COURSE_OLX_VALIDATION_STAGE, ignore=
COURSE_OLX_VALIDATION_IGNORE_LIST, allowed_xblocks=ALL_ALLOWED_XBLOCKS)`, where `course_dir` is the
folder of the archive holding `course.xml`, the ignore list is empty by default, and ALL_ALLOWED_XBLOCKS
is the name of every installed `xblock.v1` entry point. Studio refuses the import when any error has level
ERROR (`errorstore.return_error(ErrorLevel.ERROR.value)`); warnings are only recorded. Libraries are
never validated (`validate_course_olx` returns early for a LibraryLocator), and neither are they here:
an archive with `library.xml` and no `course.xml` gives `"skipped": "library"`.

The allowed XBlocks here are those of a stock Open edX (edx-platform's own `xblock.v1` entry points and
the XBlocks its base requirements install, below) plus the course's `advanced_modules` (the course
XML's attribute and `policies/<run>/policy.json`), since a course enables an XBlock there only when the
platform has it installed.

Steps: Studio's default COURSE_OLX_VALIDATION_STAGE is 1 (load the course); operators may raise it to 8.
The steps accumulate into one error store, so the errors at 8 include those at every lower stage. The
default here is 8, the strictest.

A test tool (tests/oracle/, run by lms/tests/it/olx_validation.rs); olxcleaner itself is AGPL and
installed only into the oracle venv (tests/oracle/setup.sh), never shipped.
"""
import json
import os
import sys
import tarfile
import tempfile

import olxcleaner
from olxcleaner.exceptions import ErrorLevel

# edx-platform setup.py `XBLOCKS` (the `xblock.v1` entry points of Open edX itself).
EDX_PLATFORM_XBLOCKS = [
    "about", "annotatable", "book", "chapter", "conditional", "course", "course_info", "custom_tag_template",
    "customtag", "discuss", "discussion", "error", "hidden", "html", "image", "library", "library_content",
    "library_sourced", "lti", "poll_question", "problem", "randomize", "sequential", "slides", "split_test",
    "static_tab", "unit", "vertical", "video", "videoalpha", "videodev", "word_cloud", "wrapper",
]
# XBlocks that edx-platform's base requirements install (xblock-poll, xblock-drag-and-drop-v2, ora2,
# lti-consumer-xblock, done-xblock, xblock-google-drive, staff-graded-xblock, recommender-xblock).
BUNDLED_XBLOCKS = [
    "poll", "survey", "drag-and-drop-v2", "openassessment", "lti_consumer", "done", "google-document",
    "google-calendar", "staffgradedxblock", "recommender",
]


def find_root(top, name):
    """The folder holding `name`, nearest the top (Studio takes the first os.walk finds)."""
    best = None
    for dirpath, dirnames, filenames in os.walk(top):
        dirnames.sort()
        if name in filenames:
            depth = os.path.relpath(dirpath, top).count(os.sep)
            if best is None or depth < best[0]:
                best = (depth, dirpath)
    return best[1] if best else None


def advanced_modules(course_dir):
    """The course's `advanced_modules`, from the course XML and then policy.json (which wins)."""
    import xml.etree.ElementTree as ET

    modules = []
    try:
        root = ET.parse(os.path.join(course_dir, "course.xml")).getroot()
    except (OSError, ET.ParseError):
        return modules
    url_name = root.get("url_name")
    value = root.get("advanced_modules")
    if url_name:
        try:
            inner = ET.parse(os.path.join(course_dir, "course", url_name + ".xml")).getroot()
            value = inner.get("advanced_modules", value)
        except (OSError, ET.ParseError):
            pass
    if value:
        try:
            modules = list(json.loads(value))
        except (ValueError, TypeError):
            pass
    if url_name:
        try:
            with open(os.path.join(course_dir, "policies", url_name, "policy.json"), encoding="utf-8") as f:
                policy = json.load(f)
            value = policy.get("course/" + url_name, {}).get("advanced_modules")
            if isinstance(value, list):
                modules = value
        except (OSError, ValueError, AttributeError):
            pass
    return [m for m in modules if isinstance(m, str)]


def entry(error):
    return {"class": error.name, "file": error.filename, "message": error.description}


def check(path, steps):
    with tempfile.TemporaryDirectory(prefix="olxcheck-") as tmp:
        if os.path.isdir(path):
            top = path
        else:
            with tarfile.open(path) as tar:
                tar.extractall(tmp, filter="data")
            top = tmp
        course_dir = find_root(top, "course.xml")
        if course_dir is None:
            if find_root(top, "library.xml") is not None:
                return {"skipped": "library", "errors": [], "warnings": []}
            return {"errors": [{"class": "NoCourseXml", "file": "", "message": "no course.xml"}], "warnings": []}
        allowed = sorted(set(EDX_PLATFORM_XBLOCKS + BUNDLED_XBLOCKS + advanced_modules(course_dir)))
        _, errorstore, _ = olxcleaner.validate(course_dir, steps=steps, ignore=None, allowed_xblocks=allowed)
        errors = [e for e in errorstore.errors if e.level_val >= ErrorLevel.ERROR.value]
        warnings = [e for e in errorstore.errors if e.level_val == ErrorLevel.WARNING.value]
        order = lambda e: (e.filename or "", e.name, e.description)  # noqa: E731
        return {
            "course_dir": os.path.relpath(course_dir, top),
            "steps": steps,
            "allowed_xblocks": allowed,
            "errors": [entry(e) for e in sorted(errors, key=order)],
            "warnings": [entry(e) for e in sorted(warnings, key=order)],
        }


def main(argv):
    args = argv[1:]
    steps = 8
    if "--steps" in args:
        i = args.index("--steps")
        steps = int(args[i + 1])
        del args[i : i + 2]
    if len(args) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    print(json.dumps(check(args[0], steps), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
