"""Image references by the OCI grammar: one parser for the Python API, environment files, the CLI and synth."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import by_kind_and_name

from cdk8s_gitops.cli import main
from cdk8s_gitops.core.images import ImageReference, check_digest, check_repository, parse_image, parse_pin, version_label
from cdk8s_gitops.environment.spec import ImagePolicy, check_image_tag
from cdk8s_gitops.platform import Microservice, MicroserviceProps
from cdk8s_gitops.platform.backing_service import BackingPort, BackingServiceProps
from cdk8s_gitops.testing import synth_chart

SHA = "3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b"
DIGEST = f"sha256:{SHA}"


class TestParse:
    @pytest.mark.parametrize(("reference", "expected"), [
        ("nginx:1.25", ImageReference("nginx", "1.25")),
        ("ghcr.io/team/app:v1.2.3", ImageReference("ghcr.io/team/app", "v1.2.3")),
        ("localhost:5000/app@" + DIGEST, ImageReference("localhost:5000/app", None, DIGEST)),
        ("registry.example.com:443/a/b_c__d--e:1.0@" + DIGEST, ImageReference("registry.example.com:443/a/b_c__d--e", "1.0", DIGEST)),
        ("docker.io/library/postgres:17.6", ImageReference("docker.io/library/postgres", "17.6")),
        ("Registry.Example.com/app:_x", ImageReference("Registry.Example.com/app", "_x")),
        ("app@sha512:" + "a" * 128, ImageReference("app", None, "sha512:" + "a" * 128)),
    ])
    def test_valid(self, reference: str, expected: ImageReference) -> None:
        """Valid references parse into repository, tag and digest, and print back unchanged."""
        assert parse_image(reference) == expected
        assert str(expected) == reference

    @pytest.mark.parametrize(("reference", "why"), [
        ("ghcr.io/x\nfoo:1.0", "not a valid repository path"),
        ("ghcr.io/x:1.0\n", "not a valid image tag"),
        ("ghcr.io/x@" + DIGEST + "\n", "not a digest"),
        ("ghcr.io/x:1.0\t", "not a valid image tag"),
        ("ghcr.io/Team/App:1.0", "upper-case"),
        ("ghcr.io/" + "a" * 10_000 + ":1.0", "the OCI limit is 255"),
        ("app:" + "v" * 129, "at most 128"),
        ("app:-1", "not a valid image tag"),
        ("app@sha256:" + SHA[:-1], "exactly 64"),
        ("app@sha256:" + SHA.upper(), "lower-case hex"),
        ("app@md5:" + "a" * 32, "algorithm 'md5'"),
        ("app", "no tag or digest"),
        ("app name:1.0", "not a valid repository path"),
        ("a..b:1", "not a valid repository path"),
        ("-x.io/app:1", "not a valid registry"),
    ])
    def test_invalid(self, reference: str, why: str) -> None:
        """Line breaks, tabs, upper-case paths, over-long names and tags, bad digests are refused with the reason."""
        with pytest.raises(ValueError, match=why) as info:
            parse_image(reference)
        assert len(str(info.value)) < 400  # a 10,000-character name is shortened in the message

    def test_repository_alone(self) -> None:
        """check_repository takes a repository without tag (the Microservice image prop)."""
        assert check_repository("registry.example.com/shop/web") is None
        assert "upper-case" in (check_repository("registry.example.com/Shop/web") or "")
        assert check_digest(DIGEST) is None


class TestPin:
    def test_forms(self) -> None:
        """An environment's value is a tag, tag@digest, or a digest."""
        assert parse_pin("v1.2.3") == ("v1.2.3", None)
        assert parse_pin(f"v1.2.3@{DIGEST}") == ("v1.2.3", DIGEST)
        assert parse_pin(DIGEST) == (None, DIGEST)

    @pytest.mark.parametrize("value", [DIGEST + "\n", "v1\n", f"v1@{DIGEST}x", "@" + DIGEST + "@", "", "v 1"])
    def test_refused(self, value: str) -> None:
        """A trailing newline after a digest, spaces, an empty value are refused."""
        with pytest.raises(ValueError):
            parse_pin(value)


class TestPolicy:
    def test_digest_follows_require_digest(self) -> None:
        """require_digest accepts tag@digest and a bare digest, refuses a tag alone."""
        policy = ImagePolicy(require_digest=True)
        assert check_image_tag(DIGEST, policy) is None
        assert check_image_tag(f"v1.2.3@{DIGEST}", policy) is None
        assert "no digest" in (check_image_tag("v1.2.3", policy) or "")

    def test_tag_pattern_is_not_skipped_for_digests(self) -> None:
        """With a tag_pattern, the tag before a digest must match, and a bare digest is refused (nothing to check)."""
        policy = ImagePolicy(tag_pattern=r"v\d+\.\d+\.\d+")
        assert check_image_tag(f"v1.2.3@{DIGEST}", policy) is None
        assert "tag_pattern" in (check_image_tag(f"main-4f2a@{DIGEST}", policy) or "")
        assert "digest without a tag" in (check_image_tag(DIGEST, policy) or "")
        assert check_image_tag(DIGEST, ImagePolicy()) is None

    def test_mutable_tag_before_digest(self) -> None:
        """A mutable tag is refused whether or not a digest follows it."""
        assert "mutable" in (check_image_tag(f"latest@{DIGEST}", ImagePolicy()) or "")

    def test_digest_with_newline(self) -> None:
        """The CLI's check refuses a digest followed by a newline."""
        assert "not a digest" in (check_image_tag(DIGEST + "\n", ImagePolicy()) or "")


class TestVersionLabel:
    @pytest.mark.parametrize(("tag", "digest", "label"), [
        ("v1.2.3", None, "v1.2.3"), ("v1.2.3", DIGEST, "v1.2.3"), (None, DIGEST, "sha256-3a7bd3e2360a"),
        ("v" * 100, None, "v" * 63), ("_build-1_", None, "build-1"), ("x" * 70, DIGEST, "x" * 63)])
    def test_label(self, tag: str | None, digest: str | None, label: str) -> None:
        """The tag when it is a valid label value; a digest alone gives sha256-<12 hex>; long tags are shortened."""
        assert version_label(tag, digest) == label


WEB = MicroserviceProps(name="web", image="registry.example.com/shop/web")


def build(pin: str, **env: Any) -> dict[tuple[str, str], dict[str, Any]]:
    return by_kind_and_name(synth_chart(lambda scope, settings: Microservice(scope, "svc", WEB), app="shop",
                                        apps={"shop": {"images": {"web": pin}}}, **env))


class TestMicroservice:
    def test_require_digest_end_to_end(self) -> None:
        """A digest-pinned Microservice synthesizes under require_digest: image by digest, a short version label."""
        objs = build(DIGEST, image_policy={"require_digest": True})
        pod = objs[("Deployment", "web")]["spec"]["template"]
        assert pod["spec"]["containers"][0]["image"] == f"registry.example.com/shop/web@{DIGEST}"
        assert pod["metadata"]["labels"]["app.kubernetes.io/version"] == "sha256-3a7bd3e2360a"
        assert "checkov.io/skip1" not in (objs[("Deployment", "web")]["metadata"].get("annotations") or {})

    def test_tag_and_digest(self) -> None:
        """tag@digest runs the digest and labels the tag."""
        objs = build(f"v1.2.3@{DIGEST}", image_policy={"require_digest": True, "tag_pattern": r"v\d+\.\d+\.\d+"})
        pod = objs[("Deployment", "web")]["spec"]["template"]
        assert pod["spec"]["containers"][0]["image"] == f"registry.example.com/shop/web:v1.2.3@{DIGEST}"
        assert pod["metadata"]["labels"]["app.kubernetes.io/version"] == "v1.2.3"

    def test_require_digest_refuses_a_tag(self) -> None:
        """A plain tag under require_digest is refused naming the environment key."""
        with pytest.raises(ValueError, match=r"apps\.shop\.images\.web.*no digest"):
            build("v1.2.3", image_policy={"require_digest": True})

    @pytest.mark.parametrize("image", ["ghcr.io/x\nfoo", "ghcr.io/Shop/web", "ghcr.io/x\tfoo", "ghcr.io/" + "a" * 10_000,
                                       "ghcr.io/x@" + DIGEST, "nginx:1.25"])
    def test_props_refuse_bad_repositories(self, image: str) -> None:
        """Multi-line, tabbed, upper-case, over-long repositories, or ones with a tag or digest, are refused."""
        with pytest.raises(ValueError) as info:
            MicroserviceProps(name="web", image=image)
        assert len(str(info.value)) < 800


class TestBackingService:
    @pytest.mark.parametrize("image", ["postgres:17.6\n", "Postgres:17.6", "postgres", "postgres@sha256:abc"])
    def test_refused(self, image: str) -> None:
        """A BackingService image must be a valid, pinned reference."""
        ports = (BackingPort(name="pg", port=5432),)
        assert BackingServiceProps(name="db", image="postgres:17.6", ports=ports).image == "postgres:17.6"
        with pytest.raises(ValueError, match="image"):
            BackingServiceProps(name="db", image=image, ports=ports)


APP = '''"""shop: a plain ApiObject whose image has a line break."""
import cdk8s


def build(scope, env):
    pod = cdk8s.ApiObject(scope, "pod", api_version="v1", kind="Pod", metadata={"name": "p"})
    pod.add_json_patch(cdk8s.JsonPatch.add("/spec", {"containers": [{"name": "a", "image": "ghcr.io/x\\nfoo:1.0"}]}))
'''


class TestEverywhere:
    def test_synth_refuses_any_bad_image(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """An invalid image in any synthesized object (here a raw ApiObject) refuses synth, naming the field."""
        (tmp_path / "apps").mkdir()
        (tmp_path / "apps" / "shop.py").write_text(APP)
        (tmp_path / "environments").mkdir()
        (tmp_path / "environments" / "dev.yaml").write_text(
            "name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\napps:\n  shop: {}\n")
        assert main(["-C", str(tmp_path), "synth"]) != 0
        err = capsys.readouterr().err
        assert "Pod 'p'" in err and "spec.containers[0].image" in err and "Traceback" not in err
        assert not (tmp_path / "dist").exists()

    def test_set_image_refuses_digest_with_newline(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """set-image refuses a digest followed by a newline and leaves the file as it was."""
        (tmp_path / "apps").mkdir()
        (tmp_path / "environments").mkdir()
        env = tmp_path / "environments" / "dev.yaml"
        env.write_text("name: dev\ngit:\n  repo_url: https://github.com/example/platform.git\n"
                       "apps:\n  shop:\n    images:\n      web: v1.0.0\n")
        before = env.read_bytes()
        assert main(["-C", str(tmp_path), "set-image", "shop", DIGEST + "\n", "--env", "dev", "--no-synth"]) != 0
        assert "not a digest" in capsys.readouterr().err
        assert env.read_bytes() == before


class TestSettingsHelpers:
    def test_image_reference_and_version(self) -> None:
        """Apps compose images from the environment's pin without breaking digest pins."""
        from cdk8s_gitops.testing.harness import make_settings

        env = make_settings("shop", "dev", apps={"shop": {"images": {"a": "v1.2.3", "b": f"v2@{DIGEST}", "c": DIGEST}}})
        assert env.image_reference("a", "ghcr.io/x/a") == "ghcr.io/x/a:v1.2.3"
        assert env.image_reference("b", "ghcr.io/x/b") == f"ghcr.io/x/b:v2@{DIGEST}"
        assert env.image_reference("c", "ghcr.io/x/c") == f"ghcr.io/x/c@{DIGEST}"
        assert [env.image_version(s) for s in "abc"] == ["v1.2.3", "v2", "sha256-3a7bd3e2360a"]
