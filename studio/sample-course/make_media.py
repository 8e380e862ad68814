#!/usr/bin/env python3
"""Regenerate every media file of the SZPoN sample course (course-v1:SZPoN+PZ101+2026).

All media are original and generated here (CC BY 4.0, like the course text).
Needs: Python 3 with Pillow (`pip install pillow`), espeak-ng and ffmpeg
(`apt-get install -y --no-install-recommends espeak-ng ffmpeg`), DejaVu fonts
(fonts-dejavu-core). Run from anywhere: `python3 make_media.py`.

Writes into course/static/:
  pz101-karta-kursu.png              course card (course_image)
  stanowisko-pracy-zdalnej.png       illustration used in an html block
  pasek-wideorozmowy.png             toolbar used by the image-response problem
  pz101-zasady-pracy-zdalnej.webm    short video (VP9 + Opus)
  pz101-zasady-pracy-zdalnej.mp4     the same video (H.264 + AAC) as a fallback
  pz101-zasady-pracy-zdalnej-pl.srt  Polish captions matching the speech
"""
import os
import subprocess
import tempfile
import wave

from PIL import Image, ImageDraw, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "course", "static")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

NAVY = (23, 52, 94)
RED = (200, 16, 46)      # Polish flag red
WHITE = (255, 255, 255)
LIGHT = (235, 241, 248)
GREY = (90, 98, 110)
GREEN = (22, 120, 70)


def font(size, bold=False):
    return ImageFont.truetype(FONT_BOLD if bold else FONT, size)


def centered(draw, box, text, fnt, fill):
    x0, y0, x1, y1 = box
    l, t, r, b = draw.textbbox((0, 0), text, font=fnt)
    draw.text((x0 + (x1 - x0 - (r - l)) / 2 - l, y0 + (y1 - y0 - (b - t)) / 2 - t), text, font=fnt, fill=fill)


def padlock(draw, cx, cy, s, color):
    """A simple padlock: shackle arc + body."""
    draw.arc((cx - s * 0.55, cy - s * 1.2, cx + s * 0.55, cy + s * 0.1), 180, 360, fill=color, width=max(3, int(s / 6)))
    draw.line((cx - s * 0.55, cy - s * 0.55, cx - s * 0.55, cy), fill=color, width=max(3, int(s / 6)))
    draw.line((cx + s * 0.55, cy - s * 0.55, cx + s * 0.55, cy), fill=color, width=max(3, int(s / 6)))
    draw.rounded_rectangle((cx - s * 0.85, cy - s * 0.05, cx + s * 0.85, cy + s * 1.1), radius=s / 6, fill=color)
    draw.ellipse((cx - s * 0.15, cy + s * 0.3, cx + s * 0.15, cy + s * 0.6), fill=WHITE)


def course_card():
    w, h = 756, 450
    im = Image.new("RGB", (w, h), NAVY)
    d = ImageDraw.Draw(im)
    d.rectangle((0, h - 18, w, h), fill=RED)
    # laptop
    d.rounded_rectangle((430, 120, 690, 290), radius=10, fill=LIGHT)
    d.rectangle((445, 135, 675, 275), fill=(52, 92, 150))
    padlock(d, 560, 205, 34, WHITE)
    d.polygon([(400, 290), (720, 290), (745, 318), (375, 318)], fill=(200, 210, 222))
    d.text((40, 110), "Praca zdalna", font=font(48, True), fill=WHITE)
    d.text((40, 170), "w urzędzie", font=font(48, True), fill=WHITE)
    d.text((40, 250), "kurs wprowadzający", font=font(28), fill=LIGHT)
    d.text((40, 380), "SZPoN · PZ101 · 2026", font=font(22), fill=LIGHT)
    im.save(os.path.join(STATIC, "pz101-karta-kursu.png"), optimize=True)


def workstation():
    w, h = 800, 450
    im = Image.new("RGB", (w, h), LIGHT)
    d = ImageDraw.Draw(im)
    d.text((30, 22), "Bezpieczne stanowisko pracy zdalnej", font=font(30, True), fill=NAVY)
    # desk
    d.rectangle((60, 330, 740, 350), fill=(150, 110, 70))
    d.rectangle((90, 350, 110, 440), fill=(150, 110, 70))
    d.rectangle((690, 350, 710, 440), fill=(150, 110, 70))
    # laptop with locked screen
    d.rounded_rectangle((290, 150, 500, 310), radius=10, fill=(60, 64, 72))
    d.rectangle((303, 163, 487, 297), fill=(52, 92, 150))
    padlock(d, 395, 222, 30, WHITE)
    d.polygon([(265, 310), (525, 310), (550, 330), (240, 330)], fill=(170, 176, 186))
    # labels with pointers
    labels = [
        ((40, 110), "VPN urzędu", (305, 180)),
        ((40, 230), "Blokada ekranu", (305, 260)),
        ((None, 110), "Aktualizacje", (485, 180)),
        ((None, 230), "Logowanie dwuetapowe", (485, 260)),
    ]
    f = font(18, True)
    for (x, y), text, (px, py) in labels:
        if x is None:  # right-aligned label
            x = w - 25 - d.textlength(text, font=f)
        l, t, r, b = d.textbbox((x, y), text, font=f)
        d.rounded_rectangle((l - 10, t - 8, r + 10, b + 8), radius=8, fill=WHITE, outline=NAVY, width=2)
        d.text((x, y), text, font=f, fill=NAVY)
        anchor_x = r + 10 if px > r else l - 10
        d.line((anchor_x, (t + b) / 2, px, py), fill=RED, width=3)
        d.ellipse((px - 5, py - 5, px + 5, py + 5), fill=RED)
    # locked drawer for paper documents
    d.rectangle((600, 360, 680, 430), fill=(120, 90, 60))
    padlock(d, 640, 385, 12, WHITE)
    note = "Dokumenty w zamykanej szafce"
    d.text((590 - d.textlength(note, font=font(16)), 400), note, font=font(16), fill=GREY)
    im.save(os.path.join(STATIC, "stanowisko-pracy-zdalnej.png"), optimize=True)


# Toolbar for the image-response problem: the "Napisy" button box is printed
# so that problem/…xml can use it as its rectangle.
TOOLBAR_BUTTONS = ["Mikrofon", "Kamera", "Napisy", "Udostępnij ekran", "Zakończ"]


def toolbar():
    w, h = 640, 170
    im = Image.new("RGB", (w, h), (32, 36, 44))
    d = ImageDraw.Draw(im)
    d.text((20, 14), "Wideorozmowa z obywatelem — 12:04", font=font(16), fill=(210, 214, 220))
    slot = w / len(TOOLBAR_BUTTONS)
    boxes = []
    for i, name in enumerate(TOOLBAR_BUTTONS):
        cx, cy, r = slot * i + slot / 2, 80, 30
        color = RED if name == "Zakończ" else (70, 76, 88)
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=color)
        if name == "Mikrofon":
            d.rounded_rectangle((cx - 7, cy - 17, cx + 7, cy + 5), radius=7, fill=WHITE)
            d.arc((cx - 13, cy - 10, cx + 13, cy + 12), 0, 180, fill=WHITE, width=3)
            d.line((cx, cy + 12, cx, cy + 18), fill=WHITE, width=3)
        elif name == "Kamera":
            d.rounded_rectangle((cx - 17, cy - 10, cx + 7, cy + 10), radius=3, fill=WHITE)
            d.polygon([(cx + 7, cy - 2), (cx + 17, cy - 9), (cx + 17, cy + 9), (cx + 7, cy + 2)], fill=WHITE)
        elif name == "Napisy":
            d.rounded_rectangle((cx - 18, cy - 12, cx + 18, cy + 12), radius=4, outline=WHITE, width=3)
            centered(d, (cx - 18, cy - 12, cx + 18, cy + 12), "CC", font(13, True), WHITE)
        elif name == "Udostępnij ekran":
            d.rectangle((cx - 17, cy - 12, cx + 17, cy + 10), outline=WHITE, width=3)
            d.polygon([(cx, cy - 7), (cx - 7, cy + 1), (cx + 7, cy + 1)], fill=WHITE)
            d.line((cx, cy, cx, cy + 6), fill=WHITE, width=3)
        elif name == "Zakończ":
            d.rounded_rectangle((cx - 16, cy - 5, cx + 16, cy + 5), radius=5, fill=WHITE)
        centered(d, (slot * i, 118, slot * (i + 1), 145), name, font(15), WHITE)
        boxes.append((int(slot * i + 4), 44, int(slot * (i + 1) - 4), 148))
    im.save(os.path.join(STATIC, "pasek-wideorozmowy.png"), optimize=True)
    x0, y0, x1, y1 = boxes[TOOLBAR_BUTTONS.index("Napisy")]
    print(f"pasek-wideorozmowy.png {w}x{h}; 'Napisy' rectangle=({x0},{y0})-({x1},{y1})")


# Video: four slides, each shown while its sentence is spoken.
VIDEO_LINES = [
    "Witamy w kursie Praca zdalna w urzędzie.",
    "Łącz się z systemami urzędu wyłącznie przez służbowy VPN.",
    "Blokuj ekran, gdy odchodzisz od komputera.",
    "Nie wysyłaj danych obywateli na prywatną pocztę.",
]
SLIDE_BULLETS = ["Służbowy VPN", "Blokada ekranu", "Dane tylko w systemach urzędu"]
PAUSE = 0.3  # seconds of silence after each sentence


def slide(path, active):
    w, h = 640, 360
    im = Image.new("RGB", (w, h), NAVY)
    d = ImageDraw.Draw(im)
    d.rectangle((0, h - 12, w, h), fill=RED)
    d.text((32, 28), "Praca zdalna w urzędzie", font=font(32, True), fill=WHITE)
    d.text((32, 76), "Trzy zasady na każdy dzień", font=font(20), fill=LIGHT)
    for i, text in enumerate(SLIDE_BULLETS):
        y = 140 + i * 62
        on = active == i + 1
        d.rounded_rectangle((32, y, 608, y + 48), radius=10, fill=WHITE if on else (44, 76, 122))
        d.text((52, y + 10), f"{i + 1}. {text}", font=font(22, on), fill=NAVY if on else LIGHT)
    im.save(path)


def srt_time(t):
    ms = int(round(t * 1000))
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def video():
    with tempfile.TemporaryDirectory() as tmp:
        frames, rate, params = [], None, None
        cues, t = [], 0.0
        concat = []
        for i, line in enumerate(VIDEO_LINES):
            wav = os.path.join(tmp, f"line{i}.wav")
            subprocess.run(["espeak-ng", "-v", "pl", "-s", "175", "-w", wav, line], check=True)
            with wave.open(wav) as wf:
                params = wf.getparams()
                rate = wf.getframerate()
                data = wf.readframes(wf.getnframes())
            silence = b"\0" * (int(rate * PAUSE) * params.sampwidth * params.nchannels)
            frames.append(data + silence)
            dur = len(data) / (rate * params.sampwidth * params.nchannels)
            cues.append((t, t + dur, line))
            png = os.path.join(tmp, f"slide{i}.png")
            slide(png, i)
            concat.append(f"file '{png}'\nduration {dur + PAUSE:.3f}\n")
            t += dur + PAUSE
        concat.append(f"file '{os.path.join(tmp, f'slide{len(VIDEO_LINES) - 1}.png')}'\n")
        audio = os.path.join(tmp, "speech.wav")
        with wave.open(audio, "wb") as out:
            out.setparams(params)
            out.writeframes(b"".join(frames))
        lst = os.path.join(tmp, "slides.txt")
        with open(lst, "w") as f:
            f.write("".join(concat))
        base = os.path.join(STATIC, "pz101-zasady-pracy-zdalnej")
        common = ["ffmpeg", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", lst, "-i", audio,
                  "-r", "10", "-pix_fmt", "yuv420p", "-t", f"{t:.3f}"]
        subprocess.run(common + ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "42", "-row-mt", "1",
                                 "-c:a", "libopus", "-b:a", "32k", base + ".webm"], check=True)
        subprocess.run(common + ["-c:v", "libx264", "-tune", "stillimage", "-crf", "30",
                                 "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", base + ".mp4"], check=True)
        with open(base + "-pl.srt", "w", encoding="utf-8") as f:
            for n, (a, b, text) in enumerate(cues, 1):
                f.write(f"{n}\n{srt_time(a)} --> {srt_time(b)}\n{text}\n\n")
        print(f"video: {t:.2f} s, cues: {len(cues)}")


if __name__ == "__main__":
    os.makedirs(STATIC, exist_ok=True)
    course_card()
    workstation()
    toolbar()
    video()
