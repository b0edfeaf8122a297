"""Password and ClusterGenerator (generators.external-secrets.io/v1alpha1)."""

from __future__ import annotations

from typing import Any

from helpers import error_message, manifest_error, schema_errors

from cdk8s_gitops.secrets import ClusterGenerator, Password, PasswordSpec, password_spec

API = "generators.external-secrets.io/v1alpha1"


def password_doc(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "Password", "metadata": {"name": "pw", "namespace": "shop"}, "spec": spec}


def generator_doc(spec: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": API, "kind": "ClusterGenerator", "metadata": {"name": "gen"}, "spec": spec}


FULL_PASSWORD = {"length": 32, "digits": 4, "symbols": 2, "symbolCharacters": "-_", "noUpper": True,
                 "allowRepeat": False, "encoding": "base64url", "secretKeys": ["session", "csrf"]}


class TestPassword:
    def test_every_field_round_trips_and_validates(self) -> None:
        """length, digits, symbols, symbolCharacters, noUpper, allowRepeat, encoding, secretKeys are typed."""
        doc = password_doc(dict(FULL_PASSWORD))
        model = Password.from_manifest(doc)
        assert model.to_manifest() == doc
        assert model.spec is not None and model.spec.encoding == "base64url"
        assert schema_errors(doc) == []

    def test_password_spec_writes_the_schema_required_defaults(self) -> None:
        """password_spec() writes length/noUpper/allowRepeat (required by the schema, defaulted by the API server)."""
        manifest = Password.from_manifest({"metadata": {"name": "pw"}, "spec": password_spec(digits=4)}).to_manifest()
        assert manifest["spec"] == {"length": 24, "noUpper": False, "allowRepeat": False, "digits": 4}
        assert schema_errors(manifest) == []
        own = Password.from_manifest({"metadata": {"name": "pw"}, "spec": password_spec(length=40, no_upper=True)}).to_manifest()
        assert own["spec"] == {"length": 40, "noUpper": True, "allowRepeat": False}

    def test_build_writes_only_what_is_given(self) -> None:
        """Without password_spec(), nothing is added: the API server fills in the defaults."""
        manifest = Password.from_manifest({"metadata": {"name": "pw"}, "spec": {"digits": 4}}).to_manifest()
        assert manifest["spec"] == {"digits": 4}
        assert isinstance(Password.from_manifest({"metadata": {"name": "pw"}, "spec": PasswordSpec(length=40)}).spec, PasswordSpec)

    def test_password_spec_checks_like_the_model(self) -> None:
        """password_spec() applies the same rules (digits plus symbols within the default length 24)."""
        message = error_message(lambda: password_spec(digits=20, symbols=10))
        assert "digits" in message and "30" in message and "24" in message

    def test_loading_keeps_omitted_defaults_omitted(self) -> None:
        """from_manifest never adds fields (the upstream encoding examples omit noUpper/allowRepeat)."""
        doc = password_doc({"length": 16, "encoding": "hex"})
        assert Password.from_manifest(doc).to_manifest() == doc

    def test_digits_and_symbols_fit_in_length(self) -> None:
        """digits plus symbols may not exceed length."""
        message = manifest_error(Password, password_doc({"length": 8, "digits": 5, "symbols": 5}))
        assert "Password 'pw'" in message and "spec.digits" in message and "10" in message and "8" in message

    def test_length_is_positive(self) -> None:
        """A password has at least one character."""
        message = manifest_error(Password, password_doc({"length": 0}))
        assert "spec.length" in message and "0" in message

    def test_unknown_encoding(self) -> None:
        """encoding is one of base64, base64url, base32, hex, raw."""
        message = manifest_error(Password, password_doc({"length": 8, "encoding": "base58"}))
        assert "spec.encoding" in message and "'base58'" in message

    def test_symbols_need_symbol_characters(self) -> None:
        """An empty symbolCharacters leaves nothing to draw symbols from."""
        message = manifest_error(Password, password_doc({"length": 8, "symbols": 2, "symbolCharacters": ""}))
        assert "spec.symbolCharacters" in message and "''" in message

    def test_duplicate_secret_keys(self) -> None:
        """secretKeys lists each key once."""
        message = manifest_error(Password, password_doc({"length": 8, "secretKeys": ["a", "a"]}))
        assert "spec.secretKeys" in message and "'a'" in message

    def test_strict_types(self) -> None:
        """A quoted length is not an integer."""
        message = manifest_error(Password, password_doc({"length": "32"}))
        assert "spec.length" in message and "'32'" in message


class TestClusterGenerator:
    def test_password_generator_round_trips_and_validates(self) -> None:
        """A ClusterGenerator of kind Password with a typed passwordSpec round-trips and passes the schema."""
        doc = generator_doc({"kind": "Password", "generator": {"passwordSpec": dict(FULL_PASSWORD)}})
        model = ClusterGenerator.from_manifest(doc)
        assert model.to_manifest() == doc
        assert model.spec is not None and isinstance(model.spec.generator.password_spec, PasswordSpec)
        assert schema_errors(doc) == []
        assert ClusterGenerator.NAMESPACED is False

    def test_other_generators_are_typed(self) -> None:
        """Other generator specs (ecrAuthorizationTokenSpec...) are generated models too; they round-trip."""
        doc = generator_doc({"kind": "ECRAuthorizationToken", "generator": {"ecrAuthorizationTokenSpec": {"region": "eu-west-1"}}})
        model = ClusterGenerator.from_manifest(doc)
        assert model.to_manifest() == doc
        assert model.spec is not None and model.spec.generator.ecr_authorization_token_spec is not None
        assert model.spec.generator.ecr_authorization_token_spec.region == "eu-west-1"
        assert schema_errors(doc) == []

    def test_password_spec_inside_a_cluster_generator(self) -> None:
        """A passwordSpec made with password_spec() carries the schema-required fields."""
        manifest = ClusterGenerator.from_manifest({"metadata": {"name": "gen"},
                                          "spec": {"kind": "Password", "generator": {"password_spec": password_spec(digits=3)}}}).to_manifest()
        assert manifest["spec"]["generator"]["passwordSpec"] == {"length": 24, "noUpper": False, "allowRepeat": False, "digits": 3}
        assert schema_errors(manifest) == []

    def test_kind_must_match_the_spec(self) -> None:
        """kind names the generator whose spec is set."""
        message = manifest_error(ClusterGenerator, generator_doc({"kind": "UUID", "generator": {"passwordSpec": {"length": 8}}}))
        assert "spec.generator.passwordSpec" in message and "'UUID'" in message and "uuidSpec" in message

    def test_exactly_one_spec(self) -> None:
        """generator holds exactly one spec."""
        message = manifest_error(ClusterGenerator, generator_doc({"kind": "Password", "generator": {}}))
        assert "spec.generator" in message and "none" in message

    def test_unknown_kind(self) -> None:
        """kind is one of the generator kinds upstream knows."""
        message = manifest_error(ClusterGenerator, generator_doc({"kind": "Token", "generator": {"uuidSpec": {}}}))
        assert "spec.kind" in message and "'Token'" in message

    def test_password_rules_apply_inside(self) -> None:
        """The Password rules apply to passwordSpec at its nested path."""
        doc = generator_doc({"kind": "Password", "generator": {"passwordSpec": {"length": 4, "digits": 5}}})
        message = manifest_error(ClusterGenerator, doc)
        assert "spec.generator.passwordSpec.digits" in message and "5" in message
