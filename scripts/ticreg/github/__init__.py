"""Everything that speaks to GitHub or in GitHub's formats.

- ``github_api``: the one REST client (injectable transport, token from the
  environment); its failures are ``EnvironmentFailed``.
- ``issue_forms``: the issue forms under ``.github/ISSUE_TEMPLATE/``, one
  definition shared by ``ticreg issue-forms`` (writes them) and the parser.
- ``issue_body``, ``intake_convert``, ``intake``, ``intake_report``,
  ``intake_reply``: a submitted form's body becomes an application file
  (``ticreg intake``), and the answer goes back on the issue
  (``ticreg intake-reply``).
- ``pr_comment``: the validation report as one comment on a pull request.
- ``tracking_issue``: the daily deadlines issue.
- ``markdown_safe``: makes untrusted text safe to post as GitHub-flavoured
  Markdown. It lives here because only the texts posted through the API
  above use it; ``report``'s step summary is written by ticreg itself.

The core (loader, findings, errors, today, rules) never imports from here;
the modules here import from the core. This file imports nothing, so that
commands which do not talk to GitHub do not pay for it.
"""
