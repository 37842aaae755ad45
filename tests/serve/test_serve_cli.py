"""`workbench serve` refuses to listen beyond loopback until accounts exist."""

from __future__ import annotations

import subprocess
import sys


def test_serving_beyond_loopback_without_accounts_is_refused(demo_copy):
    result = subprocess.run([sys.executable, "-m", "workbench", "serve", str(demo_copy), "--host", "0.0.0.0"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "no accounts yet, so the server binds only 127.0.0.1" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_certificate_without_its_key_is_one_clear_error(demo_copy, tmp_path):
    cert = tmp_path / "cert.pem"
    cert.write_text("not a certificate")
    result = subprocess.run([sys.executable, "-m", "workbench", "serve", str(demo_copy), "--certfile", str(cert)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "--certfile and --keyfile go together" in result.stderr
