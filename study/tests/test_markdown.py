from study.templatetags.study_tags import markdown


def test_markdown_renders_headings_lists_and_tables():
    html = markdown("## Title\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h2>Title</h2>" in html
    assert "<li>one</li>" in html
    assert "<table>" in html


def test_markdown_removes_scripts_and_event_handlers():
    html = markdown(
        "Hello <script>alert(1)</script> <img src=x onerror=alert(2)> "
        '[link](javascript:alert(3)) <a href="#" onclick="alert(4)">x</a>'
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "onclick" not in html
    assert "<img" not in html


def test_markdown_keeps_safe_links():
    html = markdown("[EC2](/study/services/ec2/) and [AWS](https://aws.amazon.com/)")
    assert 'href="/study/services/ec2/"' in html
    assert 'href="https://aws.amazon.com/"' in html
