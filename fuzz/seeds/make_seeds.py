#!/usr/bin/env python3
"""Regenerates the committed seed inputs in fuzz/seeds/ (run from anywhere: python3 make_seeds.py).

olx_files/*: file sets in the olx_files input format: files separated by NUL bytes, the first
line of each is its path. archive/*: tiny .tar.gz, .tar and .zip exports of a minimal course.
Everything is deterministic (fixed mtimes), so rerunning gives identical bytes.
"""
import gzip
import io
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))

MINIMAL = {
    "course.xml": '<course url_name="2024" org="SZPoN" course="F101"/>\n',
    "course/2024.xml": '<course display_name="Fuzz course" start="2024-01-01T00:00:00Z">\n'
    '  <chapter url_name="ch1"/>\n  <wiki slug="fuzz"/>\n</course>\n',
    "chapter/ch1.xml": '<chapter display_name="Week 1">\n  <sequential url_name="s1"/>\n</chapter>\n',
    "sequential/s1.xml": '<sequential display_name="Lesson" graded="true" format="Homework">\n'
    '  <vertical url_name="v1"/>\n</sequential>\n',
    "vertical/v1.xml": '<vertical display_name="Unit">\n  <html url_name="h1"/>\n'
    '  <problem display_name="Q" max_attempts="2"><multiplechoiceresponse>'
    '<choicegroup><choice correct="true">A</choice><choice correct="false">B</choice>'
    "</choicegroup></multiplechoiceresponse></problem>\n  <video url_name=\"vid\"/>\n</vertical>\n",
    "html/h1.xml": '<html filename="h1" display_name="Text"/>\n',
    "html/h1.html": "<p>Za\u017c\u00f3\u0142\u0107 <a href=\"/static/a.txt\">g\u0119\u015bl\u0105</a></p>\n",
    "video/vid.xml": '<video youtube_id_1_0="abc" display_name="Film"/>\n',
    "policies/2024/policy.json": '{"course/2024": {"display_name": "Fuzz", "tabs": []},'
    ' "chapter/ch1": {"start": "2024-02-01T00:00:00Z"}, "problem/orphan": {"weight": 1}}\n',
    "policies/2024/grading_policy.json": '{"GRADER": [{"type": "Homework", "min_count": 1,'
    ' "drop_count": 0, "weight": 1.0}], "GRADE_CUTOFFS": {"Pass": 0.5}}\n',
    "policies/assets.json": "{}\n",
    "about/overview.html": "<section>About</section>\n",
    "info/updates.html": "<ol></ol>\n",
    "tabs/syllabus.html": "<p>Syllabus</p>\n",
    "static/a.txt": "hello\n",
    "drafts/vertical/d1.xml": '<vertical display_name="Draft" parent_url="i4x://SZPoN/F101/sequential/s1">'
    '<html url_name="dh"/></vertical>\n',
    "drafts/html/dh.xml": '<html filename="dh" display_name="Draft text"/>\n',
    "drafts/html/dh.html": "<p>draft</p>\n",
}

INLINE = {
    "course.xml": '<course url_name="r1" org="o" course="c">\n'
    '<chapter display_name="C">\n<sequential>\n<vertical>\n'
    '<html display_name="H">hi <b>there</b></html>\n<html/>\n'
    '<problem url_name="p" weight="2"><stringresponse answer="x"/></problem>\n'
    '<conditional><show sources="i4x://o/c/problem/p"/><html>shown</html></conditional>\n'
    "</vertical>\n</sequential>\n</chapter>\n</course>\n",
}

LIBRARY = {
    "library.xml": '<library xblock-family="xblock.v1" display_name="Lib" org="o" library="L1" url_name="library">\n'
    '  <problem url_name="p1"/>\n  <html url_name="h"/>\n</library>\n',
    "problem/p1.xml": '<problem display_name="P1"><numericalresponse answer="4"/></problem>\n',
    "html/h.xml": '<html filename="h"/>\n',
    "html/h.html": "<p>lib</p>\n",
}


def olx_seed(files, top=""):
    parts = [f"{top}{path}\n{text}".encode() for path, text in files.items()]
    return b"\0".join(parts)


def tar_bytes(files, top, fmt):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as t:
        for path, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(f"{top}/{path}")
            info.size = len(data)
            info.mtime = 1_700_000_000
            info.mode = 0o644
            t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    # tarfile pads to a 10 KiB record; keep only the two zero blocks that end the archive.
    end = len(raw.rstrip(b"\0"))
    end = (end + 511) // 512 * 512
    return raw[: end + 1024]


def zip_bytes(files, top):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo(f"{top}/", (2024, 1, 1, 0, 0, 0)), b"")
        for path, text in files.items():
            info = zipfile.ZipInfo(f"{top}/{path}", (2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode())
    return buf.getvalue()


def write(target, name, data):
    path = os.path.join(HERE, target, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    assert len(data) < 4096, (name, len(data))
    print(f"{target}/{name}: {len(data)} bytes")


def main():
    write("olx_files", "minimal_course", olx_seed(MINIMAL))
    write("olx_files", "top_folder_course", olx_seed(MINIMAL, top="course/"))
    write("olx_files", "inline_course", olx_seed(INLINE))
    write("olx_files", "library", olx_seed(LIBRARY, top="library/"))

    small = {k: MINIMAL[k] for k in ["course.xml", "course/2024.xml", "chapter/ch1.xml",
                                     "sequential/s1.xml", "vertical/v1.xml", "html/h1.xml",
                                     "html/h1.html", "policies/2024/policy.json", "static/a.txt"]}
    write("archive", "course.tar.gz", gzip.compress(tar_bytes(MINIMAL, "course", tarfile.GNU_FORMAT), mtime=0))
    write("archive", "library.tar", tar_bytes({"library.xml": LIBRARY["library.xml"],
                                                   "problem/p1.xml": LIBRARY["problem/p1.xml"]},
                                                  "library", tarfile.USTAR_FORMAT))
    write("archive", "course.zip", zip_bytes(small, "course"))
    write("archive", "inline.zip", zip_bytes(INLINE, "export"))


if __name__ == "__main__":
    main()
