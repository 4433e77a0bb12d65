"""Date formats for every language of the portal (settings.FORMAT_MODULE_PATH): Indian conventions, day first.

Django's own modules write English dates month first ("05/10/1998" for 10 May) and have none for Urdu and
Marathi; each language here takes the formats of `india` and may change what its readers expect.
"""
