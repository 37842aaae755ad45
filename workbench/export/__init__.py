"""Export for papers: coded excerpts, the codebook appendix, tables, charts and de-identification.

Every writer takes values (excerpts, tables) that `select` and `tables` build from a project,
and writes one file atomically (`files.atomic_path`), so a failed export never leaves half a file.
"""
