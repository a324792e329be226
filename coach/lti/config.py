"""The tool's key pair and the platforms (LMSs) registered with it, both in ``<data dir>/lti``.

The private key signs what coach sends a platform (service tokens, deep-linking responses);
the platform checks it against ``/lti/jwks``. ``rotate_keys`` makes a new pair and keeps the
old public key in the JWKS, so tokens signed just before a rotation still verify.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, HttpUrl, ValidationError, field_validator

from coach.errors import CoachError

PRIVATE = "tool-private.pem"
PUBLIC = "tool-public.pem"
PREVIOUS = "previous-public.pem"
PLATFORMS = "platforms.json"


class LtiConfigError(CoachError):
    """The LTI configuration is missing or wrong: one line saying what to do."""


class Platform(BaseModel):
    """One LMS registration: what its admin gives you when adding coach as an LTI 1.3 tool."""

    issuer: str = Field(min_length=1, max_length=255)
    client_id: str = Field(min_length=1, max_length=255)
    deployment_ids: list[str] = Field(min_length=1)
    auth_login_url: HttpUrl
    auth_token_url: HttpUrl
    key_set_url: HttpUrl
    name: str = ""

    @field_validator("deployment_ids")
    @classmethod
    def _no_blank_ids(cls, ids: list[str]) -> list[str]:
        ids = [i.strip() for i in ids]
        if not all(ids):
            raise ValueError("deployment ids cannot be empty")
        return ids


def lti_dir(settings) -> Path:
    configured = getattr(settings, "lti_dir", None)
    return Path(configured) if configured else Path(settings.data_dir) / "lti"


# -- keys -----------------------------------------------------------------------------------
def _new_pair() -> tuple[str, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


def _write(path: Path, text: str, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    part.write_text(text, encoding="utf-8")
    if private:
        part.chmod(0o600)
    part.replace(path)


def has_keys(settings) -> bool:
    folder = lti_dir(settings)
    return (folder / PRIVATE).is_file() and (folder / PUBLIC).is_file()


def make_keys(settings, rotate: bool = False) -> str:
    """A key pair for the tool (kept if there is one, unless ``rotate``). Returns its key id."""
    folder = lti_dir(settings)
    if has_keys(settings) and not rotate:
        return key_id(read_keys(settings)[1])
    if has_keys(settings):
        _write(folder / PREVIOUS, (folder / PUBLIC).read_text(encoding="utf-8"))
    private, public = _new_pair()
    _write(folder / PRIVATE, private, private=True)
    _write(folder / PUBLIC, public)
    return key_id(public)


def read_keys(settings) -> tuple[str, str]:
    """(private PEM, public PEM); ``LtiConfigError`` when ``coach lti keys`` has not run."""
    folder = lti_dir(settings)
    try:
        return (folder / PRIVATE).read_text("utf-8"), (folder / PUBLIC).read_text("utf-8")
    except OSError:
        raise LtiConfigError("The tool has no key pair yet: run `coach lti keys`.") from None


def _jwk(public_pem: str) -> dict:
    from jwcrypto.jwk import JWK

    jwk = json.loads(JWK.from_pem(public_pem.encode()).export_public())
    return {**jwk, "alg": "RS256", "use": "sig"}


def key_id(public_pem: str) -> str:
    return _jwk(public_pem)["kid"]


def jwks(settings) -> dict:
    """The tool's public keys: the current one and, after a rotation, the previous one."""
    keys = []
    folder = lti_dir(settings)
    for name in (PUBLIC, PREVIOUS):
        path = folder / name
        if path.is_file():
            keys.append(_jwk(path.read_text("utf-8")))
    return {"keys": keys}


# -- platforms ------------------------------------------------------------------------------
def read_platforms(settings) -> list[Platform]:
    path = lti_dir(settings) / PLATFORMS
    if not path.is_file():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
        return [Platform.model_validate(p) for p in data.get("platforms", [])]
    except (OSError, ValueError, AttributeError) as exc:
        problem = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc
        raise LtiConfigError(f"{path} cannot be read: {problem}") from None


def add_platform(settings, platform: Platform) -> bool:
    """Register ``platform`` (replacing one with the same issuer and client id). True when it
    replaced one."""
    found = read_platforms(settings)
    kept = [p for p in found if (p.issuer, p.client_id) != (platform.issuer, platform.client_id)]
    data = {"platforms": [p.model_dump(mode="json") for p in [*kept, platform]]}
    _write(lti_dir(settings) / PLATFORMS, json.dumps(data, indent=2, ensure_ascii=False))
    return len(kept) < len(found)


def tool_conf(settings):
    """pylti1p3's view of the registrations, each with the tool's keys."""
    from pylti1p3.tool_config import ToolConfDict

    platforms = read_platforms(settings)
    if not platforms:
        raise LtiConfigError("No LMS is registered: run `coach lti add-platform`.")
    private, public = read_keys(settings)
    by_issuer: dict[str, list[dict]] = {}
    for p in platforms:
        by_issuer.setdefault(p.issuer, []).append(
            {
                "default": not by_issuer.get(p.issuer),
                "client_id": p.client_id,
                "auth_login_url": str(p.auth_login_url),
                "auth_token_url": str(p.auth_token_url),
                "key_set_url": str(p.key_set_url),
                "key_set": None,
                "deployment_ids": p.deployment_ids,
            }
        )
    conf = ToolConfDict(by_issuer)
    for p in platforms:
        conf.set_private_key(p.issuer, private, client_id=p.client_id)
        conf.set_public_key(p.issuer, public, client_id=p.client_id)
    return conf
