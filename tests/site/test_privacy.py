"""yishi.privacy (check digit, hashing, masking, scrubbing) and the logging filter."""

import datetime as dt
import io
import logging
import sys

import pytest

from yishi import privacy
from yishi.logging import MaskPersonalDataFilter

# ID numbers built here from the GB 11643-1999 rule itself (weights 2^(17-i) mod 11,
# check = (12 - sum mod 11) mod 11, 10 written X), not from yishi.privacy's tables.


def check_digit(first17: str) -> str:
    total = sum(int(d) * pow(2, 17 - i, 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def id_number(region: str, birth: dt.date, sequence: int) -> str:
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + check_digit(body)


# Beijing Chaoyang, a woman born 1949-12-31 (the standard's own example, check X);
# Chengdu Wuhou; Panzhihua East district; Shenzhen Futian.
REAL_FORMAT = [
    id_number("110105", dt.date(1949, 12, 31), 2),
    id_number("510107", dt.date(1988, 2, 29), 317),
    id_number("510402", dt.date(1956, 7, 1), 42),
    id_number("440304", dt.date(2001, 10, 9), 905),
]
ID_X = REAL_FORMAT[0]
ID = REAL_FORMAT[2]


def test_the_examples_are_what_the_standard_says():
    assert ID_X == "11010519491231002X"  # GB 11643-1999, Appendix A example
    assert all(len(n) == 18 for n in REAL_FORMAT)


# --- check digit -------------------------------------------------------------------


@pytest.mark.parametrize("number", REAL_FORMAT)
def test_checksum_accepts_valid_numbers(number):
    assert privacy.id_number_checksum_ok(number)


def test_checksum_accepts_lower_case_x_and_spaces():
    assert privacy.id_number_checksum_ok(ID_X.lower())
    assert privacy.id_number_checksum_ok(f" {ID[:6]} {ID[6:14]} {ID[14:]} ")


@pytest.mark.parametrize("number", REAL_FORMAT)
def test_checksum_refuses_every_wrong_check_digit(number):
    for wrong in "0123456789X":
        if wrong != number[-1]:
            assert not privacy.id_number_checksum_ok(number[:17] + wrong)


@pytest.mark.parametrize(
    "value",
    [
        "",
        ID[:17],
        ID + "0",
        ID[:16] + "X" + ID[17],  # X only as the check digit
        "51040219560701004Y",
        "５１０４０２１９５６０７０１００４" + ID[-1],  # full-width digits
        "510402560701004",  # a first-generation 15-digit number
    ],
)
def test_checksum_refuses_malformed_values(value):
    assert not privacy.id_number_checksum_ok(value)


def test_checksum_catches_a_swapped_pair():
    swapped = ID[:10] + ID[11] + ID[10] + ID[12:]
    assert swapped != ID
    assert not privacy.id_number_checksum_ok(swapped)


# --- hashing ---------------------------------------------------------------------


def test_hash_is_keyed_and_normalised(settings):
    digest = privacy.id_number_hash(ID_X)
    assert len(digest) == 64
    assert ID_X not in digest
    assert privacy.id_number_hash(ID_X.lower()) == digest
    assert privacy.id_number_hash(f" {ID_X[:6]} {ID_X[6:]} ") == digest
    assert privacy.id_number_hash(ID) != digest
    settings.ID_NUMBER_HASH_KEY = "another-key"
    assert privacy.id_number_hash(ID_X) != digest


# --- masking ---------------------------------------------------------------------


def test_mask_id_shows_only_the_last_four():
    assert privacy.mask_id_last4("002X") == "**************002X"
    assert privacy.mask_id_last4("") == "**************????"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13912345678", "139****5678"),
        ("+8613912345678", "+86*******5678"),
        ("02887654321", "028****4321"),
        ("87654321", "****4321"),
        ("1234567", "*******"),
        ("123", "***"),
        ("", ""),
        (" 13912345678 ", "139****5678"),
    ],
)
def test_mask_phone(phone, masked):
    assert privacy.mask_phone(phone) == masked


def test_a_masked_phone_always_hides_at_least_four_digits():
    for length in range(1, 16):
        masked = privacy.mask_phone("1" + "2" * (length - 1))
        assert len(masked) == length
        assert masked.count("*") >= min(4, length)
        assert sum(c.isdigit() for c in masked) <= 7


def test_person_properties_mask():
    from neighbourhoods.models import Person

    person = Person(phone="13912345678", id_number_hash="h", id_number_last4="002X")
    assert person.masked_phone == "139****5678"
    assert person.masked_id_number == "**************002X"
    assert Person(id_number_last4="").masked_id_number == ""


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("8613912345678", "13912345678"),
        ("1391234567", None),
        ("139123456789", None),
        ("12912345678", None),
        ("１３９１２３４５６７８", None),
        ("1391234567a", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_mobile(typed, normalised):
    assert privacy.normalise_mobile(typed) == normalised


# --- scrub -----------------------------------------------------------------------

MASKED_ID = "*" * 14 + ID[-4:]


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        (f"身份证{ID}号", f"身份证{MASKED_ID}号"),
        (f"id={ID_X},", "id=" + "*" * 14 + "002X,"),
        (f"id={ID_X.lower()}.", "id=" + "*" * 14 + "002x."),
        (f"ID{ID}", f"ID{MASKED_ID}"),
        (f"{ID[:6]} {ID[6:14]} {ID[14:]}", MASKED_ID),
        (f"{ID[:6]}-{ID[6:14]}-{ID[14:]}", MASKED_ID),
        ("电话13912345678。", "电话139****5678。"),
        ("tel:+8613912345678", "tel:+86139****5678"),
        ("86 139 1234 5678", "86 139 **** 5678"),
        ("139-1234-5678", "139-****-5678"),
        (f"{ID} 13912345678", f"{MASKED_ID} 139****5678"),
    ],
)
def test_scrub_masks_id_numbers_and_mobiles(text, scrubbed):
    assert privacy.scrub(text) == scrubbed


def test_scrub_masks_a_mistyped_id_number_too():
    wrong = ID[:17] + ("0" if ID[-1] != "0" else "1")
    assert not privacy.id_number_checksum_ok(wrong)
    assert privacy.scrub(f"无效：{wrong}") == "无效：" + "*" * 14 + wrong[-4:]


@pytest.mark.parametrize(
    "text",
    [
        "社区代码 510402001001",  # 12-digit community code
        "社区代码 130102001001",  # one that starts like a mobile (13…)
        "街道 510402001",  # 9-digit subdistrict code
        "网格 13010200100100000001",  # 20-digit grid code
        "不动产单元 510402001001GB00001F00010001",  # 28-character unit code
        "订单 1391234567812345678",  # 19 digits
        "流水 13912345678901",  # 14 digits starting like a mobile
        "17 位 51040219560701004",  # 17 digits
        "2026-05-01 12:00:00",
        "面积 9000 (0.01㎡)，第 3 行",
        "座机 028-87654321",
        "12912345678",  # 11 digits, but no mobile starts 12
    ],
)
def test_scrub_leaves_other_numbers_alone(text):
    assert privacy.scrub(text) == text


def test_scrub_masks_every_occurrence():
    text = f"{ID},{ID_X};13912345678/13800001111"
    assert privacy.scrub(text) == (
        f"{MASKED_ID},{'*' * 14}002X;139****5678/138****1111"
    )


# --- the logging filter ----------------------------------------------------------


def _record(msg, args=(), exc_info=None, stack_info=None):
    return logging.LogRecord(
        "yishi.test",
        logging.WARNING,
        __file__,
        1,
        msg,
        args,
        exc_info,
        None,
        stack_info,
    )


def test_filter_masks_the_message():
    record = _record(f"bad row: {ID}")
    assert MaskPersonalDataFilter().filter(record) is True
    assert record.getMessage() == f"bad row: {MASKED_ID}"


def test_filter_masks_positional_args():
    record = _record("row %d: %s / %s", (3, ID, "13912345678"))
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == f"row 3: {MASKED_ID} / 139****5678"
    assert ID not in repr(record.args)


def test_filter_masks_mapping_args():
    record = _record("person %(id)s", ({"id": ID},))
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == f"person {MASKED_ID}"


def test_filter_keeps_a_clean_record_as_it_was():
    record = _record("row %d of %d", (3, 7))
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == "row 3 of 7"


def test_filter_masks_a_record_whose_args_do_not_fit():
    record = _record("row %d", (ID,))
    MaskPersonalDataFilter().filter(record)
    assert ID not in record.getMessage()
    assert MASKED_ID in record.getMessage()


def _exc_info(message):
    try:
        raise ValueError(message)
    except ValueError:
        return sys.exc_info()


def test_filter_masks_the_traceback_and_stack():
    record = _record(
        "import failed", exc_info=_exc_info(f"身份证号 {ID} 校验位错误"), stack_info=ID
    )
    MaskPersonalDataFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "ValueError" in text
    assert ID not in text
    assert MASKED_ID in text


def _handler_with_filter():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(MaskPersonalDataFilter())
    return handler, stream


def test_handler_with_the_filter_writes_masked_lines():
    handler, stream = _handler_with_filter()
    logger = logging.getLogger("yishi.test.handler")
    logger.addHandler(handler)
    try:
        logger.warning("row %s phone %s", ID, "13912345678")
        try:
            raise ValueError(ID)
        except ValueError:
            logger.exception("failed for %s", ID_X)
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert f"row {MASKED_ID} phone 139****5678" in out
    assert "Traceback" in out
    for number in (ID, ID_X, "13912345678"):
        assert number not in out


def _configured_masking_handlers():
    return [
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, MaskPersonalDataFilter) for f in handler.filters)
    ]


def test_the_configured_root_handler_masks():
    """The handler set up from settings.LOGGING, not one built by the test."""
    handlers = _configured_masking_handlers()
    assert handlers, "settings.LOGGING attaches the mask filter to the root handler"
    handler = handlers[0]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    try:
        logging.getLogger("neighbourhoods.roll_import").warning(
            "第 %d 行：身份证号 %s 重复", 3, ID
        )
        logging.getLogger("django.request").error("Bad Request: /?id=%s", ID_X)
    finally:
        handler.setStream(old_stream)
    out = stream.getvalue()
    assert f"第 3 行：身份证号 {MASKED_ID} 重复" in out
    assert ID not in out
    assert ID_X not in out


@pytest.mark.parametrize("access_log", [False, True])
def test_websocket_handshake_lines_are_access_lines(access_log):
    """uvicorn logs each websocket handshake on "uvicorn.error"; it is written only
    where access logs are on, and other lines of that logger always are."""
    import logging.config

    from yishi.settings.base import logging_config

    logger = logging.getLogger("uvicorn.error")
    logger.filters.clear()  # dictConfig adds a logger's filters, never removes them
    logging.config.dictConfig(
        logging_config(root_level="WARNING", access_log=access_log)
    )
    handler = logger.handlers[0]
    stream = io.StringIO()
    old_stream = handler.setStream(stream)
    try:
        logger.info('%s - "WebSocket %s" [accepted]', "127.0.0.1:5", "/ws/rooms/1/")
        logger.info('%s - "WebSocket %s" 403', "127.0.0.1:5", f"/ws/x/?id={ID}")
        logger.info("Uvicorn running on %s", "fd://0")
    finally:
        handler.setStream(old_stream)
        from django.conf import settings

        logger.filters.clear()
        logging.config.dictConfig(settings.LOGGING)
    out = stream.getvalue()
    assert "Uvicorn running on fd://0" in out
    assert ("/ws/rooms/1/" in out) is access_log
    assert ID not in out  # masked when written


def test_filter_hides_a_rooms_socket_ticket():
    """uvicorn's websocket line carries the path with its query (YISHI_ACCESS_LOG)."""
    record = _record(
        '%s - "WebSocket %s" [accepted]',
        (
            "127.0.0.1:5000",
            "/ws/rooms/7/?ticket=eyJwIjoiL3dzL3Jvb21zLzcvIn0:1v:abc&x=1",
        ),
    )
    MaskPersonalDataFilter().filter(record)
    assert record.getMessage() == (
        '127.0.0.1:5000 - "WebSocket /ws/rooms/7/?ticket=[hidden]&x=1" [accepted]'
    )
