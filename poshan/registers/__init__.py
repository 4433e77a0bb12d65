"""Digital registers: for an AWC and a month, the registers its worker used to keep on paper, generated from
what is already recorded — as printable pages and PDFs. At the top of the house: it reads every app."""
