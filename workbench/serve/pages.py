"""The few pages the server writes itself: sign in, signed in, refused. Plain HTML, no scripts."""

from __future__ import annotations

from html import escape

STYLE = ("body{font-family:system-ui,sans-serif;background:#0c181f;color:#eee;display:flex;justify-content:center;"
         "padding-top:12vh}main{max-width:34em}input{width:100%;padding:.5em;font:inherit}"
         "button{margin-top:1em;padding:.5em 1.5em;font:inherit}a{color:#9cf}")


def _page(title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title>{head}"
            f"<style>{STYLE}</style></head><body><main>{body}</main></body></html>")


def login(project: str, message: str = "") -> str:
    note = f"<p><strong>{escape(message)}</strong></p>" if message else ""
    return _page(f"Sign in · {project}", (
        f"<h1>workbench · {escape(project)}</h1>{note}"
        "<p>Open the sign-in link you were given, or paste it (or its key) here.</p>"
        "<form method='post' action='/login'><input name='key' autocomplete='off' autofocus "
        "placeholder='http://…/signin?key=…'><button type='submit'>Sign in</button></form>"))


def signed_in(account: str, role: str) -> str:
    # A page that moves on by itself rather than a redirect: a SameSite=Strict cookie set in a
    # redirect that followed a link from elsewhere (mail, chat) would not be sent on to "/".
    return _page("Signed in", (
        f"<p>Signed in as <strong>{escape(account)}</strong> ({escape(role)}).</p>"
        "<p><a href='/'>Open the workbench</a></p>"), head="<meta http-equiv='refresh' content='0; url=/'>")


def refused(message: str) -> str:
    return _page("Refused", f"<p>{escape(message)}</p><p><a href='/login'>Sign in</a></p>")
