"""The public website: pages written from the registry, then built by MkDocs.

The project writes every page itself (Jinja2 templates with autoescape), so
nothing depends on MkDocs plugin APIs and the same sources build with
Zensical. The flow of ``ticreg build``:

    settings.py      the site configuration in mkdocs.yml (extra.tic)
    public.py        what the public may see of each center (DOMAIN.md)
    notices.py       the notices, derived from the histories
    render.py        the Jinja2 environment: autoescape, Chinese dates
    pages/           one module per part of the site; each yields files
    generate.py      writes docs/ plus every generated file into build/docs
    mkdocs_build.py  runs MkDocs on build/docs into site/, reproducibly
    serve.py         `ticreg serve`: rebuild when a source changes

Registry text is data: it only ever reaches a page through an autoescaped
Jinja2 expression inside an HTML block, which Markdown leaves alone.
"""
