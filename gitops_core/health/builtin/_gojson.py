"""Go ``encoding/json`` syntax errors, byte for byte, for the HPA conditions annotation.

``json.Unmarshal`` validates the whole text before decoding; the first syntax error is reported
with the scanner's wording (``invalid character 'x' looking for beginning of value``,
``unexpected end of JSON input``, ...). :func:`go_json_syntax_error` returns that text or
``None`` when the text is valid JSON as Go reads it.
"""

from __future__ import annotations

__all__ = ["go_json_syntax_error"]

_WS = frozenset(b" \t\r\n")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_DIGITS = frozenset(b"0123456789")
_ESCAPES = frozenset(b'"\\/bfnrt')
_EOF = "unexpected end of JSON input"


def _quote_char(byte: int) -> str:
    """Go's ``quoteChar``: a byte as a single-quoted Go literal."""
    if byte == 0x27:
        return "'\\''"
    if byte == 0x22:
        return "'\"'"
    if byte < 0x80:
        char = chr(byte)
        if char.isprintable():
            return f"'{char}'"
        escapes = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v"}
        if byte in escapes:
            return f"'{escapes[byte]}'"
        return f"'\\x{byte:02x}'"
    return f"'\\x{byte:02x}'"  # a lone byte of a multi-byte sequence is invalid UTF-8


class _Syntax(Exception):
    pass


class _Scanner:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def fail(self, context: str) -> _Syntax:
        if self.pos >= len(self.data):
            return _Syntax(_EOF)
        return _Syntax(f"invalid character {_quote_char(self.data[self.pos])} {context}")

    def peek(self) -> int:
        return self.data[self.pos] if self.pos < len(self.data) else -1

    def skip_ws(self) -> None:
        while self.pos < len(self.data) and self.data[self.pos] in _WS:
            self.pos += 1

    def value(self) -> None:
        self.skip_ws()
        byte = self.peek()
        if byte == 0x7B:  # {
            self.pos += 1
            self.skip_ws()
            if self.peek() == 0x7D:
                self.pos += 1
                return
            while True:
                self.skip_ws()
                if self.peek() != 0x22:
                    raise self.fail("looking for beginning of object key string")
                self.string()
                self.skip_ws()
                if self.peek() != 0x3A:
                    raise self.fail("after object key")
                self.pos += 1
                self.value()
                self.skip_ws()
                byte = self.peek()
                if byte == 0x2C:
                    self.pos += 1
                    continue
                if byte == 0x7D:
                    self.pos += 1
                    return
                raise self.fail("after object key:value pair")
        if byte == 0x5B:  # [
            self.pos += 1
            self.skip_ws()
            if self.peek() == 0x5D:
                self.pos += 1
                return
            while True:
                self.value()
                self.skip_ws()
                byte = self.peek()
                if byte == 0x2C:
                    self.pos += 1
                    continue
                if byte == 0x5D:
                    self.pos += 1
                    return
                raise self.fail("after array element")
        if byte == 0x22:
            self.string()
            return
        if byte == 0x2D or byte in _DIGITS:
            self.number()
            return
        for word in (b"true", b"false", b"null"):
            if byte == word[0]:
                self.pos += 1
                for expected in word[1:]:
                    if self.peek() != expected:
                        raise self.fail(
                            f"in literal {word.decode()} (expecting {_quote_char(expected)})"
                        )
                    self.pos += 1
                return
        raise self.fail("looking for beginning of value")

    def string(self) -> None:
        self.pos += 1  # opening quote
        while True:
            byte = self.peek()
            if byte == -1:
                raise self.fail("")
            self.pos += 1
            if byte == 0x22:
                return
            if byte == 0x5C:
                byte = self.peek()
                if byte in _ESCAPES:
                    self.pos += 1
                elif byte == 0x75:
                    self.pos += 1
                    for _ in range(4):
                        if self.peek() not in _HEX:
                            raise self.fail("in \\u hexadecimal character escape")
                        self.pos += 1
                else:
                    raise self.fail("in string escape code")
            elif byte < 0x20:
                self.pos -= 1
                raise self.fail("in string literal")

    def number(self) -> None:
        if self.peek() == 0x2D:
            self.pos += 1
            if self.peek() not in _DIGITS:
                raise self.fail("in numeric literal")
        if self.peek() == 0x30:
            self.pos += 1
        else:
            while self.peek() in _DIGITS:
                self.pos += 1
        if self.peek() == 0x2E:
            self.pos += 1
            if self.peek() not in _DIGITS:
                raise self.fail("after decimal point in numeric literal")
            while self.peek() in _DIGITS:
                self.pos += 1
        if self.peek() in (0x65, 0x45):
            self.pos += 1
            if self.peek() in (0x2B, 0x2D):
                self.pos += 1
            if self.peek() not in _DIGITS:
                raise self.fail("in exponent of numeric literal")
            while self.peek() in _DIGITS:
                self.pos += 1


def go_json_syntax_error(text: str) -> str | None:
    """Go's syntax error text for ``text``, or ``None`` when it is valid JSON.

    >>> go_json_syntax_error("[{")
    'unexpected end of JSON input'
    >>> go_json_syntax_error("nope")
    "invalid character 'o' in literal null (expecting 'u')"
    """
    scanner = _Scanner(text.encode("utf-8", "surrogateescape"))
    try:
        scanner.value()
        scanner.skip_ws()
        if scanner.pos < len(scanner.data):
            raise scanner.fail("after top-level value")
    except _Syntax as error:
        return str(error)
    return None
