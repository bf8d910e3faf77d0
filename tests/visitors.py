"""Test clients for kinds of visitor, for tests that make many requests (the fuzz tests)."""

from http.cookies import SimpleCookie

from django.test import Client


class Visitors:
    """One client per kind of visitor (a client loads the middleware once), each request
    made with that visitor's cookies only, whatever an earlier request left; a 500 is
    answered as one (not raised)."""

    def __init__(self, guest, **users):
        self.cookies = {guest: {}}
        for who, user in users.items():
            signed_in = Client()
            signed_in.force_login(user)
            self.cookies[who] = {key: morsel.value for key, morsel in signed_in.cookies.items()}
        self.clients = {who: Client(raise_request_exception=False) for who in self.cookies}

    def client(self, who):
        client = self.clients[who]
        client.cookies = SimpleCookie(self.cookies[who])
        return client
