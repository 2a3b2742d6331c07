/// The single-page UI served at `/` (plain HTML + JavaScript, no build step).
enum WebPage {
    static let html = """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>Tacit</title></head>
    <body><h1>Tacit</h1><p>The service is running. See <a href="/openapi.yaml">/openapi.yaml</a>.</p></body></html>
    """
}
