"""The lab server: the workbench's own TUI served to browsers, one app process per session.

`seat` says who a served session is; `accounts` keeps the team's logins beside the project (never
in it); `sessions` holds signed-in browsers; `server` wraps textual-serve's aiohttp server with
the checks; `client` is the app process each browser session runs. Core modules here never import
Textual; only `client` (a process of its own) does.
"""
