"""The platform's images as deploy/images/ declares them, read without building them: the one
Dockerfile (its stages) and images.conf (what differs between the images, once)."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tests.deploy.manifests import REPO

DOCKERFILE = REPO / "deploy" / "images" / "Dockerfile"
IMAGES_FILE = REPO / "deploy" / "images" / "images.conf"
BUILD_SCRIPT = REPO / "deploy" / "images" / "build.sh"


@dataclass(frozen=True)
class Image:
    """One line of images.conf: an image's name (its target stage) and its build arguments."""

    name: str
    packages: str
    port: int
    cjk_font: bool
    description: str

    def package_folders(self) -> list[Path]:
        """The folders `PACKAGES` names (a glob is expanded as the builder's shell expands it)."""
        return sorted(path for path in REPO.glob(self.packages.rstrip("/")) if path.is_dir())


@cache
def declared_images() -> tuple[Image, ...]:
    images = []
    for line in IMAGES_FILE.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, packages, port, cjk_font, description = line.split(maxsplit=4)
        assert cjk_font in ("true", "false"), f"images.conf: {name}'s cjk_font is {cjk_font!r}"
        images.append(Image(name, packages, int(port), cjk_font == "true", description))
    return tuple(images)


def image(name: str) -> Image:
    return next(found for found in declared_images() if found.name == name)


@cache
def stages() -> dict[str, str]:
    """The Dockerfile's stages by name, each as its text (continuation lines joined)."""
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    found = {}
    for part in re.split(r"^(?=FROM )", text, flags=re.M):
        header = re.match(r"FROM (\S+)(?: AS (\S+))?\n", part)
        if header:
            found[header.group(2) or header.group(1)] = part
    return found


def parent_of(stage: str) -> str:
    return re.match(r"FROM (\S+)", stages()[stage]).group(1)


def final_stages(name: str) -> list[str]:
    """The stages an image's filesystem and configuration come from, base first (its own stage
    and the stages it is FROM, up to the base image)."""
    chain = [name]
    while parent_of(chain[-1]) in stages():
        chain.append(parent_of(chain[-1]))
    return [stages()[stage] for stage in reversed(chain)]


def entrypoint_of(name: str) -> list[str]:
    found = [entry for stage in final_stages(name) for entry in re.findall(r"^ENTRYPOINT (\[.*\])$", stage, flags=re.M)]
    assert len(found) == 1, f"{name}: one ENTRYPOINT in exec form"
    return ast.literal_eval(found[0])


def command_of(name: str) -> list[str]:
    found = [cmd for stage in final_stages(name) for cmd in re.findall(r"^CMD (\[.*\])$", stage, flags=re.M)]
    assert len(found) == 1, f"{name}: one CMD in exec form"
    return ast.literal_eval(found[0])


def environment_of(name: str) -> dict[str, str]:
    """The ENV the image sets, with its build arguments put in (`BIND=0.0.0.0:${PORT}`)."""
    arguments = {"PORT": str(image(name).port), "SERVICE": name}
    values = {}
    for stage in final_stages(name):
        for line in stage.splitlines():
            if line.startswith("ENV "):
                for key, value in re.findall(r"([A-Z_][A-Z0-9_]*)=(\S+)", line):
                    values[key] = re.sub(r"\$\{(\w+)\}", lambda m: arguments.get(m.group(1), m.group(0)), value)
    return values
