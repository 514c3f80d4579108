"""The website's configuration (extra.tic in mkdocs.yml) and sources (docs/).

These are reported by ``ticreg build`` and ``ticreg serve``; schema problems
inside extra.tic are reported with the usual S101–S106 wording.
"""

from __future__ import annotations

from ..catalog import rule

_SITE = "网站配置"

rule("W101", severity="error", article=_SITE, scope="site", title="mkdocs.yml 无法读取",
     template="网站配置文件无法读取：{actual}",
     doc="""mkdocs.yml 须为 UTF-8 编码的 YAML 映射。其中 Markdown 扩展用到的 !!python 标签只被识别、不被执行。""")
rule("W102", severity="error", article=_SITE, scope="site", title="网站配置缺失",
     template="缺少网站配置 {field}，应为{expected}",
     doc="""mkdocs.yml 须写明 site_name、site_url 和 extra.tic（ICP备案号、备案查询网址、异议受理单位及联系方式）。
     页脚的备案号和公示公告中的异议受理方式都从这里读取。""")
rule("W103", severity="error", article=_SITE, scope="site", title="手写页面与生成页面同名",
     template="docs/ 中的手写文件与生成的页面同名：{actual}；请改名，生成的页面不能被覆盖",
     doc="""公开网站的页面由 ticreg build 从登记册生成，docs/ 中只放手写页面和静态资源。
     两者路径相同时无法判断以哪个为准，构建因此中止。""")
