"""Numbers and dates a manager can trust: amounts and dates read the way people write them in
Danish, Norwegian and English, in the organisation's own currency, said back as stored; a text that
could mean two things is asked about, never guessed.

The tables are the readings themselves; the transcripts below take the same cases through the bot.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.engine import intents
from bot.engine.amounts import AmbiguousValue, InvalidValue, parse_amount
from bot.engine.dates import NoSuchDate, parse_date
from bot.engine.values import reading_value, said_back
from bot.i18n import Catalogs

CATALOGS = Catalogs()

AMOUNTS = [  # (language, the organisation's currency, typed, amount, currency, said back)
    ('da', 'DKK', '250.000', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250.000 kr.', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250.000 kr', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250.000 kroner', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250.000,-', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', 'kr. 250.000', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', 'DKK 250.000', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250.000 DKK', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250 000 kr.', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '250000', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '1.250.000 kr.', '1250000', 'DKK', '1.250.000 kr. (DKK)'),
    ('da', 'DKK', '1.250.000,50 kr.', '1250000.5', 'DKK', '1.250.000,50 kr. (DKK)'),
    ('da', 'DKK', '45.000,50', '45000.5', 'DKK', '45.000,50 kr. (DKK)'),
    ('da', 'DKK', '1,2 mio.', '1200000', 'DKK', '1.200.000 kr. (DKK)'),
    ('da', 'DKK', '1,2 mio. kr.', '1200000', 'DKK', '1.200.000 kr. (DKK)'),
    ('da', 'DKK', '1,5 mill. kr.', '1500000', 'DKK', '1.500.000 kr. (DKK)'),
    ('da', 'DKK', '2 mia. kr.', '2000000000', 'DKK', '2.000.000.000 kr. (DKK)'),
    ('da', 'DKK', '1.250 mio. kr.', '1250000000', 'DKK', '1.250.000.000 kr. (DKK)'),
    ('da', 'DKK', '300 t.kr.', '300000', 'DKK', '300.000 kr. (DKK)'),
    ('da', 'DKK', '300 tkr.', '300000', 'DKK', '300.000 kr. (DKK)'),
    ('da', 'DKK', '250k', '250000', 'DKK', '250.000 kr. (DKK)'),
    ('da', 'DKK', '1.5m', '1500000', 'DKK', '1.500.000 kr. (DKK)'),
    ('da', 'DKK', '-50.000 kr.', '-50000', 'DKK', '-50.000 kr. (DKK)'),
    ('da', 'DKK', '−50.000 kr.', '-50000', 'DKK', '-50.000 kr. (DKK)'),
    ('da', 'DKK', 'minus 50.000 kr.', '-50000', 'DKK', '-50.000 kr. (DKK)'),
    ('da', 'DKK', 'kr. -50.000', '-50000', 'DKK', '-50.000 kr. (DKK)'),
    ('da', 'DKK', 'ca. 800.000 kr.', '800000', 'DKK', '800.000 kr. (DKK)'),
    ('da', 'DKK', 'cirka 800.000', '800000', 'DKK', '800.000 kr. (DKK)'),
    ('da', 'DKK', 'omkring 1 mio.', '1000000', 'DKK', '1.000.000 kr. (DKK)'),
    ('da', 'DKK', '900.000 NOK', '900000', 'NOK', '900.000 NOK'),
    ('da', 'DKK', '900.000 nok', '900000', 'NOK', '900.000 NOK'),
    ('da', 'DKK', 'NOK 900.000', '900000', 'NOK', '900.000 NOK'),
    ('da', 'DKK', '€250.000', '250000', 'EUR', '250.000 € (EUR)'),
    ('da', 'DKK', '250.000 €', '250000', 'EUR', '250.000 € (EUR)'),
    ('da', 'DKK', '250.000 EUR', '250000', 'EUR', '250.000 € (EUR)'),
    ('da', 'DKK', '250.000 euro', '250000', 'EUR', '250.000 € (EUR)'),
    ('da', 'DKK', '1.250.000 SEK', '1250000', 'SEK', '1.250.000 SEK'),
    ('da', 'DKK', '0,5 mio.', '500000', 'DKK', '500.000 kr. (DKK)'),
    ('da', 'DKK', '12,5', '12.5', 'DKK', '12,50 kr. (DKK)'),
    ('da', 'DKK', '1.25', '1.25', 'DKK', '1,25 kr. (DKK)'),
    ('da', 'DKK', '2 millioner', '2000000', 'DKK', '2.000.000 kr. (DKK)'),
    ('da', 'DKK', '500 tusind', '500000', 'DKK', '500.000 kr. (DKK)'),
    ('da', 'DKK', '1 250 000', '1250000', 'DKK', '1.250.000 kr. (DKK)'),
    ('da', 'DKK', '1\xa0250\xa0000 kr.', '1250000', 'DKK', '1.250.000 kr. (DKK)'),
    ('da', 'DKK', '1\u2009250\u2009000', '1250000', 'DKK', '1.250.000 kr. (DKK)'),
    ('da', 'DKK', "1'250'000", '1250000', 'DKK', '1.250.000 kr. (DKK)'),
    ('da', 'DKK', '100', '100', 'DKK', '100 kr. (DKK)'),
    ('da', 'DKK', '7,50 kr.', '7.5', 'DKK', '7,50 kr. (DKK)'),
    ('da', 'DKK', '1.000.000.000', '1000000000', 'DKK', '1.000.000.000 kr. (DKK)'),
    ('da', 'DKK', '1,25 mia.', '1250000000', 'DKK', '1.250.000.000 kr. (DKK)'),
    ('da', 'DKK', '3 mio', '3000000', 'DKK', '3.000.000 kr. (DKK)'),
    ('da', 'DKK', '3 mio kr', '3000000', 'DKK', '3.000.000 kr. (DKK)'),
    ('da', 'DKK', 'DKK 1.2m', '1200000', 'DKK', '1.200.000 kr. (DKK)'),
    ('da', 'DKK', '~ 400.000', '400000', 'DKK', '400.000 kr. (DKK)'),
    ('da', 'DKK', 'USD 10.000', '10000', 'USD', '10.000 USD'),
    ('da', 'DKK', '$10.000', '10000', 'USD', '10.000 USD'),
    ('da', 'DKK', '25.000.000 kr.', '25000000', 'DKK', '25.000.000 kr. (DKK)'),
    ('da', 'DKK', '99.999', '99999', 'DKK', '99.999 kr. (DKK)'),
    ('da', 'DKK', '0,25', '0.25', 'DKK', '0,25 kr. (DKK)'),
    ('da', 'DKK', '2.500.000', '2500000', 'DKK', '2.500.000 kr. (DKK)'),
    ('nb', 'NOK', '900.000 NOK', '900000', 'NOK', '900 000 kr (NOK)'),
    ('nb', 'NOK', '900 000 kr', '900000', 'NOK', '900 000 kr (NOK)'),
    ('nb', 'NOK', '900 000', '900000', 'NOK', '900 000 kr (NOK)'),
    ('nb', 'NOK', '1.250.000 kr', '1250000', 'NOK', '1 250 000 kr (NOK)'),
    ('nb', 'NOK', '1 250 000 kr', '1250000', 'NOK', '1 250 000 kr (NOK)'),
    ('nb', 'NOK', '1 250 000,50 kr', '1250000.5', 'NOK', '1 250 000,50 kr (NOK)'),
    ('nb', 'NOK', 'kr 250 000', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', 'NOK 250 000', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', '250 000 NOK', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', '250 000,-', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', '250000', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', '1,5 mill.', '1500000', 'NOK', '1 500 000 kr (NOK)'),
    ('nb', 'NOK', '1,5 mill. kr', '1500000', 'NOK', '1 500 000 kr (NOK)'),
    ('nb', 'NOK', '1,5 millioner kroner', '1500000', 'NOK', '1 500 000 kr (NOK)'),
    ('nb', 'NOK', '2 mrd.', '2000000000', 'NOK', '2 000 000 000 kr (NOK)'),
    ('nb', 'NOK', '2 milliarder', '2000000000', 'NOK', '2 000 000 000 kr (NOK)'),
    ('nb', 'NOK', '300 tusen', '300000', 'NOK', '300 000 kr (NOK)'),
    ('nb', 'NOK', '300k', '300000', 'NOK', '300 000 kr (NOK)'),
    ('nb', 'NOK', '1.5m', '1500000', 'NOK', '1 500 000 kr (NOK)'),
    ('nb', 'NOK', '-50 000 kr', '-50000', 'NOK', '-50 000 kr (NOK)'),
    ('nb', 'NOK', '−50 000 kr', '-50000', 'NOK', '-50 000 kr (NOK)'),
    ('nb', 'NOK', 'minus 50 000 kr', '-50000', 'NOK', '-50 000 kr (NOK)'),
    ('nb', 'NOK', 'ca. 800 000 kr', '800000', 'NOK', '800 000 kr (NOK)'),
    ('nb', 'NOK', 'omtrent 800 000', '800000', 'NOK', '800 000 kr (NOK)'),
    ('nb', 'NOK', 'cirka 1 mill.', '1000000', 'NOK', '1 000 000 kr (NOK)'),
    ('nb', 'NOK', '250.000 DKK', '250000', 'DKK', '250 000 DKK'),
    ('nb', 'NOK', 'DKK 250.000', '250000', 'DKK', '250 000 DKK'),
    ('nb', 'NOK', '€250 000', '250000', 'EUR', '250 000 € (EUR)'),
    ('nb', 'NOK', '250 000 EUR', '250000', 'EUR', '250 000 € (EUR)'),
    ('nb', 'NOK', '250 000 euro', '250000', 'EUR', '250 000 € (EUR)'),
    ('nb', 'NOK', '1 000 000 SEK', '1000000', 'SEK', '1 000 000 SEK'),
    ('nb', 'NOK', '0,5 mill.', '500000', 'NOK', '500 000 kr (NOK)'),
    ('nb', 'NOK', '12,5', '12.5', 'NOK', '12,50 kr (NOK)'),
    ('nb', 'NOK', '1.25', '1.25', 'NOK', '1,25 kr (NOK)'),
    ('nb', 'NOK', '45 000,50', '45000.5', 'NOK', '45 000,50 kr (NOK)'),
    ('nb', 'NOK', '1\xa0250\xa0000 kr', '1250000', 'NOK', '1 250 000 kr (NOK)'),
    ('nb', 'NOK', '1\u2009250\u2009000', '1250000', 'NOK', '1 250 000 kr (NOK)'),
    ('nb', 'NOK', "1'250'000", '1250000', 'NOK', '1 250 000 kr (NOK)'),
    ('nb', 'NOK', '100', '100', 'NOK', '100 kr (NOK)'),
    ('nb', 'NOK', '7,50 kr', '7.5', 'NOK', '7,50 kr (NOK)'),
    ('nb', 'NOK', '1.000.000', '1000000', 'NOK', '1 000 000 kr (NOK)'),
    ('nb', 'NOK', '1,25 mrd.', '1250000000', 'NOK', '1 250 000 000 kr (NOK)'),
    ('nb', 'NOK', '3 mill', '3000000', 'NOK', '3 000 000 kr (NOK)'),
    ('nb', 'NOK', '3 mill kr', '3000000', 'NOK', '3 000 000 kr (NOK)'),
    ('nb', 'NOK', 'NOK 1.2m', '1200000', 'NOK', '1 200 000 kr (NOK)'),
    ('nb', 'NOK', '~ 400 000', '400000', 'NOK', '400 000 kr (NOK)'),
    ('nb', 'NOK', 'USD 10 000', '10000', 'USD', '10 000 USD'),
    ('nb', 'NOK', '$10 000', '10000', 'USD', '10 000 USD'),
    ('nb', 'NOK', '25 000 000 kr', '25000000', 'NOK', '25 000 000 kr (NOK)'),
    ('nb', 'NOK', '99 999', '99999', 'NOK', '99 999 kr (NOK)'),
    ('nb', 'NOK', '0,25', '0.25', 'NOK', '0,25 kr (NOK)'),
    ('nb', 'NOK', '2.500.000', '2500000', 'NOK', '2 500 000 kr (NOK)'),
    ('nb', 'NOK', '1.250', '1250', 'NOK', '1 250 kr (NOK)'),
    ('nb', 'NOK', '250 tusen kroner', '250000', 'NOK', '250 000 kr (NOK)'),
    ('nb', 'NOK', '4 mill. kroner', '4000000', 'NOK', '4 000 000 kr (NOK)'),
    ('nb', 'NOK', '1,2 mio.', '1200000', 'NOK', '1 200 000 kr (NOK)'),
    ('nb', 'NOK', 'kr. 45.000,50', '45000.5', 'NOK', '45 000,50 kr (NOK)'),
    ('nb', 'NOK', 'NOK 900 000,-', '900000', 'NOK', '900 000 kr (NOK)'),
    ('nb', 'NOK', '50 000 kr.', '50000', 'NOK', '50 000 kr (NOK)'),
    ('nb', 'NOK', '10k NOK', '10000', 'NOK', '10 000 kr (NOK)'),
    ('nb', 'NOK', '2,5 mill NOK', '2500000', 'NOK', '2 500 000 kr (NOK)'),
    ('en', 'NOK', '250000', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '250,000', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '250,000 NOK', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', 'NOK 250,000', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', 'NOK250,000', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '200 000 kr', '200000', 'NOK', 'NOK200,000'),
    ('en', 'NOK', '200 000', '200000', 'NOK', 'NOK200,000'),
    ('en', 'NOK', '1,250,000', '1250000', 'NOK', 'NOK1,250,000'),
    ('en', 'NOK', '1,250,000.50', '1250000.5', 'NOK', 'NOK1,250,000.50'),
    ('en', 'NOK', '45,000.50', '45000.5', 'NOK', 'NOK45,000.50'),
    ('en', 'NOK', '1.2m', '1200000', 'NOK', 'NOK1,200,000'),
    ('en', 'NOK', '1.5 million', '1500000', 'NOK', 'NOK1,500,000'),
    ('en', 'NOK', '2 billion', '2000000000', 'NOK', 'NOK2,000,000,000'),
    ('en', 'NOK', '2bn', '2000000000', 'NOK', 'NOK2,000,000,000'),
    ('en', 'NOK', '250k', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '250 thousand', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '-50,000', '-50000', 'NOK', '-NOK50,000'),
    ('en', 'NOK', '−50,000', '-50000', 'NOK', '-NOK50,000'),
    ('en', 'NOK', 'minus 50,000', '-50000', 'NOK', '-NOK50,000'),
    ('en', 'NOK', 'about 800,000', '800000', 'NOK', 'NOK800,000'),
    ('en', 'NOK', 'around 800,000 NOK', '800000', 'NOK', 'NOK800,000'),
    ('en', 'NOK', 'approx. 1m', '1000000', 'NOK', 'NOK1,000,000'),
    ('en', 'NOK', '€250,000', '250000', 'EUR', '€250,000 (EUR)'),
    ('en', 'NOK', '250,000 EUR', '250000', 'EUR', '€250,000 (EUR)'),
    ('en', 'NOK', '250,000 euros', '250000', 'EUR', '€250,000 (EUR)'),
    ('en', 'NOK', 'EUR 1.5m', '1500000', 'EUR', '€1,500,000 (EUR)'),
    ('en', 'NOK', '1,000,000 SEK', '1000000', 'SEK', 'SEK1,000,000'),
    ('en', 'NOK', '0.5m', '500000', 'NOK', 'NOK500,000'),
    ('en', 'NOK', '12.5', '12.5', 'NOK', 'NOK12.50'),
    ('en', 'NOK', '12,5', '12.5', 'NOK', 'NOK12.50'),
    ('en', 'NOK', '1\xa0250\xa0000', '1250000', 'NOK', 'NOK1,250,000'),
    ('en', 'NOK', '1\u2009250\u2009000', '1250000', 'NOK', 'NOK1,250,000'),
    ('en', 'NOK', "1'250'000", '1250000', 'NOK', 'NOK1,250,000'),
    ('en', 'NOK', '100', '100', 'NOK', 'NOK100'),
    ('en', 'NOK', '7.50', '7.5', 'NOK', 'NOK7.50'),
    ('en', 'NOK', '1,000,000,000', '1000000000', 'NOK', 'NOK1,000,000,000'),
    ('en', 'NOK', '1.25bn', '1250000000', 'NOK', 'NOK1,250,000,000'),
    ('en', 'NOK', '3m', '3000000', 'NOK', 'NOK3,000,000'),
    ('en', 'NOK', '3 million NOK', '3000000', 'NOK', 'NOK3,000,000'),
    ('en', 'NOK', '~400,000', '400000', 'NOK', 'NOK400,000'),
    ('en', 'NOK', 'USD 10,000', '10000', 'USD', '$10,000 (USD)'),
    ('en', 'NOK', '$10,000', '10000', 'USD', '$10,000 (USD)'),
    ('en', 'NOK', '£10,000', '10000', 'GBP', '£10,000 (GBP)'),
    ('en', 'NOK', '25,000,000', '25000000', 'NOK', 'NOK25,000,000'),
    ('en', 'NOK', '99,999', '99999', 'NOK', 'NOK99,999'),
    ('en', 'NOK', '0.25', '0.25', 'NOK', 'NOK0.25'),
    ('en', 'NOK', '2.500.000', '2500000', 'NOK', 'NOK2,500,000'),
    ('en', 'NOK', '1.250.000 kr', '1250000', 'NOK', 'NOK1,250,000'),
    ('en', 'NOK', '250,000 kr', '250000', 'NOK', 'NOK250,000'),
    ('en', 'NOK', '250.000,50', '250000.5', 'NOK', 'NOK250,000.50'),
    ('en', 'NOK', '1,5 mill.', '1500000', 'NOK', 'NOK1,500,000'),
    ('en', 'NOK', 'kr 45,000', '45000', 'NOK', 'NOK45,000'),
    ('en', 'NOK', '10k NOK', '10000', 'NOK', 'NOK10,000'),
    ('en', 'NOK', '2.5 million', '2500000', 'NOK', 'NOK2,500,000'),
    ('en', 'NOK', '300 t.kr.', '300000', 'NOK', 'NOK300,000'),
    ('en', 'NOK', '1.2 mio.', '1200000', 'NOK', 'NOK1,200,000'),
    ('en', 'NOK', '50,000 kroner', '50000', 'NOK', 'NOK50,000'),
    ('en', 'NOK', '1,000 kr', '1000', 'NOK', 'NOK1,000'),
    ('en', 'NOK', 'DKK 1,250,000', '1250000', 'DKK', 'DKK1,250,000'),
    ('en', 'NOK', '-1.2m', '-1200000', 'NOK', '-NOK1,200,000'),
]
ASKED = [  # (language, the organisation's currency, typed, the readings offered: amount and currency)
    ('da', 'DKK', '1,250', (('1.25', 'DKK'), ('1250', 'DKK'))),
    ('da', 'DKK', '2,500 kr.', (('2.5', 'DKK'), ('2500', 'DKK'))),
    ('da', 'DKK', '1,250 mio.', (('1250000', 'DKK'), ('1250000000', 'DKK'))),
    ('da', 'DKK', '7,500', (('7.5', 'DKK'), ('7500', 'DKK'))),
    ('nb', 'NOK', '1,250', (('1.25', 'NOK'), ('1250', 'NOK'))),
    ('nb', 'NOK', '2,500 kr', (('2.5', 'NOK'), ('2500', 'NOK'))),
    ('nb', 'NOK', '7,500 kroner', (('7.5', 'NOK'), ('7500', 'NOK'))),
    ('en', 'NOK', '1.250', (('1.25', 'NOK'), ('1250', 'NOK'))),
    ('en', 'NOK', '2.500 NOK', (('2.5', 'NOK'), ('2500', 'NOK'))),
    ('en', 'NOK', '1.250 kr', (('1.25', 'NOK'), ('1250', 'NOK'))),
    ('en', 'NOK', '900.000 NOK', (('900', 'NOK'), ('900000', 'NOK'))),
    ('en', 'NOK', '250.000 DKK', (('250', 'DKK'), ('250000', 'DKK'))),
    ('en', 'EUR', 'kr 100', (('100', 'DKK'), ('100', 'NOK'), ('100', 'SEK'))),
    ('en', 'EUR', '250.000 kr', (('250', 'DKK'), ('250', 'NOK'), ('250', 'SEK'),
                                 ('250000', 'DKK'), ('250000', 'NOK'), ('250000', 'SEK'))),
]
REFUSED = [
    'abc',
    '',
    '1,2,3',
    '1..2',
    '12 34',
    '1.25.000',
    'kr',
    'mio.',
    '250 000 000 000 000 000 000',
    '1.2.3 mio',
    'ti tusind',
    '50 % af budgettet',
    '100 DKK NOK',
    '1,',
    '--5',
    '5-',
    '12 mio. tusind',
]
DATES = [  # (language, typed, the date, said back)
    ('da', '31-12-2026', '2026-12-31', '31. december 2026'),
    ('da', '31.12.2026', '2026-12-31', '31. december 2026'),
    ('da', '31/12/2026', '2026-12-31', '31. december 2026'),
    ('da', '2026-12-31', '2026-12-31', '31. december 2026'),
    ('da', '31-12-26', '2026-12-31', '31. december 2026'),
    ('da', '1-6-2027', '2027-06-01', '1. juni 2027'),
    ('da', '01.06.2027', '2027-06-01', '1. juni 2027'),
    ('da', '1. juni 2027', '2027-06-01', '1. juni 2027'),
    ('da', '1 juni 2027', '2027-06-01', '1. juni 2027'),
    ('da', '1. jun. 2027', '2027-06-01', '1. juni 2027'),
    ('da', '1. Juni 2027', '2027-06-01', '1. juni 2027'),
    ('da', 'juni 2027', '2027-06-01', '1. juni 2027 (den første i måneden)'),
    ('da', 'Juni 2027', '2027-06-01', '1. juni 2027 (den første i måneden)'),
    ('da', '15. marts 2027', '2027-03-15', '15. marts 2027'),
    ('da', '15. mar 2027', '2027-03-15', '15. marts 2027'),
    ('da', '1. maj 2027', '2027-05-01', '1. maj 2027'),
    ('da', '24. december 2026', '2026-12-24', '24. december 2026'),
    ('da', '1. okt. 2027', '2027-10-01', '1. oktober 2027'),
    ('da', '1 June 2027', '2027-06-01', '1. juni 2027'),
    ('da', '3/4/2027', '2027-04-03', '3. april 2027'),
    ('da', '17.09.2027', '2027-09-17', '17. september 2027'),
    ('da', '1. januar 2028', '2028-01-01', '1. januar 2028'),
    ('nb', '31.12.2026', '2026-12-31', '31. desember 2026'),
    ('nb', '31-12-2026', '2026-12-31', '31. desember 2026'),
    ('nb', '31/12/2026', '2026-12-31', '31. desember 2026'),
    ('nb', '2026-12-31', '2026-12-31', '31. desember 2026'),
    ('nb', '31.12.26', '2026-12-31', '31. desember 2026'),
    ('nb', '1.6.2027', '2027-06-01', '1. juni 2027'),
    ('nb', '1. juni 2027', '2027-06-01', '1. juni 2027'),
    ('nb', '1 juni 2027', '2027-06-01', '1. juni 2027'),
    ('nb', '1. jun. 2027', '2027-06-01', '1. juni 2027'),
    ('nb', 'juni 2027', '2027-06-01', '1. juni 2027 (den første i måneden)'),
    ('nb', '15. mars 2027', '2027-03-15', '15. mars 2027'),
    ('nb', '1. mai 2027', '2027-05-01', '1. mai 2027'),
    ('nb', '24. desember 2026', '2026-12-24', '24. desember 2026'),
    ('nb', '1. okt. 2027', '2027-10-01', '1. oktober 2027'),
    ('nb', '17. mai 2027', '2027-05-17', '17. mai 2027'),
    ('nb', '1 June 2027', '2027-06-01', '1. juni 2027'),
    ('nb', '3/4/2027', '2027-04-03', '3. april 2027'),
    ('nb', '1. januar 2028', '2028-01-01', '1. januar 2028'),
    ('nb', 'mai 2027', '2027-05-01', '1. mai 2027 (den første i måneden)'),
    ('nb', 'des. 2026', '2026-12-01', '1. desember 2026 (den første i måneden)'),
    ('nb', '1. des. 2026', '2026-12-01', '1. desember 2026'),
    ('nb', '01.06.2027', '2027-06-01', '1. juni 2027'),
    ('en', '31-12-2026', '2026-12-31', 'December 31, 2026'),
    ('en', '31.12.2026', '2026-12-31', 'December 31, 2026'),
    ('en', '31/12/2026', '2026-12-31', 'December 31, 2026'),
    ('en', '2026-12-31', '2026-12-31', 'December 31, 2026'),
    ('en', '1 June 2027', '2027-06-01', 'June 1, 2027'),
    ('en', 'June 1, 2027', '2027-06-01', 'June 1, 2027'),
    ('en', 'June 1 2027', '2027-06-01', 'June 1, 2027'),
    ('en', '1st June 2027', '2027-06-01', 'June 1, 2027'),
    ('en', '1st of June 2027', '2027-06-01', 'June 1, 2027'),
    ('en', 'June 2027', '2027-06-01', 'June 1, 2027 (the first of the month)'),
    ('en', 'Jun 2027', '2027-06-01', 'June 1, 2027 (the first of the month)'),
    ('en', '15 March 2027', '2027-03-15', 'March 15, 2027'),
    ('en', 'March 15, 2027', '2027-03-15', 'March 15, 2027'),
    ('en', '12/31/2026', '2026-12-31', 'December 31, 2026'),
    ('en', '1. juni 2027', '2027-06-01', 'June 1, 2027'),
    ('en', '24 Dec 2026', '2026-12-24', 'December 24, 2026'),
    ('en', '1 Sept 2027', '2027-09-01', 'September 1, 2027'),
    ('en', '1 October 2027', '2027-10-01', 'October 1, 2027'),
    ('en', '31.12.26', '2026-12-31', 'December 31, 2026'),
    ('en', '1-6-2027', '2027-06-01', 'June 1, 2027'),
    ('en', '13/04/2027', '2027-04-13', 'April 13, 2027'),
    ('en', '2027-06-01', '2027-06-01', 'June 1, 2027'),
]
NO_SUCH_DATES = [
    '31-02-2027',
    '30.02.2027',
    '29-02-2027',
    '32.01.2027',
    '31. april 2027',
    '13-13-2027',
    '0-1-2027',
    '2027-02-30',
]
UNREADABLE_DATES = ['hej', 'i morgen', '2027', '31-12', '1. juno 2027', 'next week']
DATES_ASKED = ['03/04/2027', '1/2/2027', '11/12/2027']  # in English: either the day or the month first


def flat(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def test_each_language_has_its_cases():
    for language in ("da", "nb", "en"):
        assert sum(row[0] == language for row in AMOUNTS) >= 60, language
        assert sum(row[0] == language for row in DATES) >= 20, language


@pytest.mark.parametrize(("language", "own", "typed", "amount", "currency", "said"), AMOUNTS)
def test_an_amount_is_read_as_written_and_said_back(language, own, typed, amount, currency, said):
    read = parse_amount(typed, language, own)
    assert (read.value, read.currency) == (Decimal(amount), currency)
    assert flat(said_back(CATALOGS.translator(language), reading_value(read))) == said


@pytest.mark.parametrize(("language", "own", "typed", "readings"), ASKED)
def test_an_amount_that_could_mean_two_things_is_asked_about(language, own, typed, readings):
    with pytest.raises(AmbiguousValue) as asked:
        parse_amount(typed, language, own)
    assert tuple((str(r.value), r.currency) for r in asked.value.readings) == readings


@pytest.mark.parametrize("typed", REFUSED)
@pytest.mark.parametrize("language", ["da", "nb", "en"])
def test_what_is_no_amount_is_refused(typed, language):
    with pytest.raises(InvalidValue) as refused:
        parse_amount(typed, language, "DKK")
    assert not isinstance(refused.value, AmbiguousValue)


@pytest.mark.parametrize(("language", "typed", "date", "said"), DATES)
def test_a_date_is_read_as_written_and_said_back(language, typed, date, said):
    read = parse_date(typed, language)
    assert read.date.isoformat() == date
    assert flat(said_back(CATALOGS.translator(language), reading_value(read))) == said


@pytest.mark.parametrize("typed", NO_SUCH_DATES)
def test_a_date_that_does_not_exist_is_refused_as_such(typed):
    for language in ("da", "nb", "en"):
        with pytest.raises(NoSuchDate):
            parse_date(typed, language)


@pytest.mark.parametrize("typed", UNREADABLE_DATES)
def test_what_is_no_date_is_refused(typed):
    with pytest.raises(InvalidValue) as refused:
        parse_date(typed, "da")
    assert not isinstance(refused.value, NoSuchDate | AmbiguousValue)


@pytest.mark.parametrize("typed", DATES_ASKED)
def test_day_and_month_that_could_be_either_are_asked_in_english_and_read_day_first_elsewhere(typed):
    with pytest.raises(AmbiguousValue) as asked:
        parse_date(typed, "en")
    day_first, month_first = (r.date for r in asked.value.readings)
    assert (day_first.day, day_first.month) == (month_first.month, month_first.day)
    assert parse_date(typed, "da").date == day_first
    assert parse_date(typed, "nb").date == day_first


def test_a_button_for_either_reading_fits_telegrams_limit():
    from bot.engine.callbacks import encode
    from bot.engine.recording import reading_args, value_of_reading

    for value in ({"amount": "-99999999999999.99", "currency": "NOK"}, {"amount": "1250", "currency": "DKK"},
                  {"date": "2027-04-03"}):
        first, second = reading_args(value)
        assert len(encode(intents.PickReading(123456789012, "abcdef", first, second)).encode()) <= 64
        kind = "amount" if "amount" in value else "date"
        assert value_of_reading(kind, first, second or None) == value
