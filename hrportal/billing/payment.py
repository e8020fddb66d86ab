"""Payment details on an invoice: bank account, IBAN/BIC and the FIK (+71) line a Danish bank reads.

The +71 line is `+71<` + a 15-digit payment id + `+` + the 8-digit creditor number + `<`. The payment id is
the invoice number's digits padded to 14, then a modulus-10 check digit (weights 2,1,2,… from the right,
digit sums of the products), so the bank rejects a mistyped id and the payment is matched to its invoice.
"""


def mod10_check_digit(digits: str) -> str:
    total = 0
    for position, char in enumerate(reversed(digits)):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def payment_id(invoice_number: str) -> str:
    digits = "".join(c for c in invoice_number if c.isdigit()).zfill(14)[-14:]
    return digits + mod10_check_digit(digits)


def fik_line(invoice_number: str, creditor_no: str) -> str:
    """The +71 line, or "" when no creditor number is configured (the invoice leaves the line out)."""
    if not creditor_no:
        return ""
    return f"+71< {payment_id(invoice_number)} +{creditor_no}<"


def payment_lines(invoice, seller) -> list[tuple[str, str]]:
    """(label key, value) for each configured payment detail; unconfigured ones are left out."""
    if seller is None:
        return []
    lines = []
    if seller.bank_reg_no and seller.bank_account_no:
        lines.append(("account", f"{seller.bank_reg_no} {seller.bank_account_no}"))
    if seller.iban:
        lines.append(("iban", seller.iban))
    if seller.bic:
        lines.append(("bic", seller.bic))
    fik = fik_line(invoice.number, seller.fik_creditor_no)
    if fik:
        lines.append(("fik", fik))
    return lines
