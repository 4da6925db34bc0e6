"""The operation manual's screenshots, made from the ones the browser tests take:
`python -m tests.browser.manual_screenshots` (or `make manual-screenshots`).

It runs the browser tests that walk through each role's pages (the platform as `make run`
starts it, Debian's Chromium, Playwright), then takes their named screenshots, keeps the top of
each (a full page of a long form would be a poster), scales it to 1000 px wide and writes it as
an optimised palette PNG under services/portal/portal/static/manual/, to be committed. The
pictures are what the tests saw, so the manual shows the pages as they are.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[2]
TARGET = REPO / "services" / "portal" / "portal" / "static" / "manual"
WIDTH = 1000
MAX_HEIGHT = 1300  # of the scaled picture: the top of the page, where the step happens
COLOURS = 128  # a palette this size keeps text crisp and a page at a few dozen kB

# The manual's picture -> the browser tests' screenshot (its name without the number).
SHOTS = {
    "register.png": "register-live-hints",
    "organisation.png": "organisation-commitment-letter",
    "product.png": "product-new",
    "returned.png": "product-returned-reason-at-model",
    "filed.png": "product-filed",
    "bulk.png": "bulk-errors",
    "password-setup.png": "password-setup",
    "review-organisation.png": "review-organisation-what-to-check",
    "review-task.png": "review-task-returned",
    "port-apply.png": "port-apply-prefilled",
    "province-dashboard.png": "province-dashboard",
    "operator-staff.png": "operator-staff",
}
TESTS = ("tests/browser/test_portal_journey.py", "tests/browser/test_portal_pages.py",
         "tests/browser/test_portal_review_task.py", "tests/browser/test_portal_forms_to_sign.py")


def compress(source: Path, target: Path) -> None:
    with Image.open(source) as picture:
        rgb = picture.convert("RGB")
    scale = WIDTH / rgb.width
    scaled = rgb.resize((WIDTH, round(rgb.height * scale)), Image.Resampling.LANCZOS)
    top = scaled.crop((0, 0, WIDTH, min(scaled.height, MAX_HEIGHT)))
    top.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="manual-shots-") as temporary:
        base = Path(temporary)
        run = subprocess.run([sys.executable, "-m", "pytest", *TESTS, "-q", "-m", "browser", "-p", "no:cacheprovider",
                              # the manual's own test needs these pictures: not run to make them
                              "-k", "not manual",
                              f"--basetemp={base}"], cwd=REPO, check=False)
        if run.returncode != 0:
            print("the browser tests failed: no screenshots written", file=sys.stderr)
            return run.returncode
        taken = {path.stem.split("-", 1)[1]: path for path in base.rglob("screenshots/*.png")}
        missing = sorted(shot for shot in SHOTS.values() if shot not in taken)
        if missing:
            print(f"the browser tests took no screenshot named {', '.join(missing)}", file=sys.stderr)
            return 1
        TARGET.mkdir(parents=True, exist_ok=True)
        for name, shot in SHOTS.items():
            compress(taken[shot], TARGET / name)
            print(f"{TARGET / name}: {(TARGET / name).stat().st_size // 1024} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
