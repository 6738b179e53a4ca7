def test_get_help_page_needs_no_sign_in(client):
    response = client.get("/help/?country=GB")
    assert response.status_code == 200
    assert b"Samaritans" in response.content
