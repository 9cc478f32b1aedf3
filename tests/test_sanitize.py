"""Safe HTML: the nh3 allow-list keeps formatting and drops anything that can run code."""

from __future__ import annotations

from dangjian_column.lint.sanitize import HtmlPolicy, clean_html, raw_html_warnings


def test_script_in_body_is_removed_with_its_content():
    result = clean_html("<p>支部<script>alert(1)</script>活动</p>")
    assert result.html == "<p>支部活动</p>"
    assert result.removed == ["<script> 脚本"]


def test_img_onerror_is_dropped_but_the_image_stays():
    result = clean_html("<img src=x onerror=alert(1)>")
    assert result.html == '<img src="x">'
    assert result.removed == ["onerror 事件属性"]


def test_javascript_link_loses_its_address():
    result = clean_html('<a href="javascript:alert(1)">点我</a>')
    assert "javascript" not in result.html and "点我" in result.html
    assert result.removed == ["javascript: 链接"]


def test_javascript_link_hidden_by_a_tab_entity_is_caught():
    result = clean_html('<a href="java&#9;script:alert(1)">x</a>')
    assert "script:" not in result.html
    assert result.removed == ["javascript: 链接"]


def test_svg_onload_is_removed_entirely():
    result = clean_html('<svg onload="alert(1)"><circle r="5"/></svg>正文')
    assert result.html == "正文"
    assert "<svg> 矢量图代码" in result.removed


def test_iframe_removed_by_default_and_kept_when_host_is_allowed():
    evil = clean_html('<iframe src="https://evil.example/x"></iframe>后文')
    assert evil.html == "后文" and evil.removed == ["<iframe> 外部网页嵌入"]
    policy = HtmlPolicy(iframe_hosts=frozenset({"player.example.cn"}))
    kept = clean_html('<iframe src="https://player.example.cn/v/1" width="640"></iframe>', policy)
    assert kept.html == '<iframe src="https://player.example.cn/v/1" width="640"></iframe>' and kept.removed == []
    refused = clean_html('<iframe src="https://evil.example/x"></iframe>后文', policy)
    assert refused.html == "后文"
    assert refused.removed == ["<iframe> 外部网页嵌入（该网站不在允许列表里）"]


def test_table_is_kept_and_style_keeps_only_alignment():
    html = '<table><thead><tr><th style="text-align: center; color: red">项目</th></tr></thead>' \
           '<tbody><tr><td colspan="2">26</td></tr></tbody></table>'
    result = clean_html(html)
    assert '<th style="text-align:center">项目</th>' in result.html
    assert '<td colspan="2">26</td>' in result.html
    assert result.removed == ["style 里的 color 样式（版式由网站统一设置）"]


def test_pictures_local_video_and_links_with_target():
    html = ('<picture><source type="image/webp" srcset="a-480.webp 480w" sizes="100vw">'
            '<img src="a.jpg" alt="合影" width="480" height="320" loading="lazy" decoding="async"></picture>'
            '<figure><video src="v.mp4" controls></video><figcaption>视频</figcaption></figure>'
            '<a href="https://www.example.gov.cn/" target="_blank">官网</a>')
    result = clean_html(html)
    assert result.removed == []
    assert 'srcset="a-480.webp 480w"' in result.html and 'loading="lazy"' in result.html
    assert '<video src="v.mp4" controls="">' in result.html and "<figcaption>视频</figcaption>" in result.html
    assert 'target="_blank" rel="noopener"' in result.html


def test_data_urls_forms_and_remote_video_are_removed():
    result = clean_html('<img src="data:image/png;base64,AAAA" alt="a"><form><input name="q"></form>'
                        '<video src="https://cdn.example.com/v.mp4"></video>')
    assert "data:" not in result.html and "<form" not in result.html and "cdn.example.com" not in result.html
    assert result.removed == ["data: 链接", "<form> 表单", "<input> 表单输入框", "外部网站的视频地址（只能放本站的视频文件）"]


def test_raw_html_warnings_point_at_the_tag_and_skip_code():
    body = "第一段。\n\n`<script>` 是代码\n\n```\n<script>x</script>\n```\n\n文字 <img src=x onerror=alert(1)>\n"
    assert raw_html_warnings(body) == [
        (9, 4, "正文里的 HTML 含有 onerror 事件属性，发布时会被删除。请删除这段代码，或改用 Markdown 写法。")]


def test_allowed_raw_html_is_silent():
    assert raw_html_warnings('<figure markdown>\n<img src="a.jpg" alt="x">\n</figure>\n') == []
    assert raw_html_warnings("<table><tr><td>1</td></tr></table>\n<br>\n") == []
