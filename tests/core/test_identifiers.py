import pytest
from django.core.exceptions import ValidationError

from core.identifiers import credit_code_check_char, id_number_check_char, validate_credit_code, validate_id_number


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91350100m000100y43"])
def test_published_credit_codes_pass(code):
    validate_credit_code(code)


def test_credit_code_check_character_of_the_standards_example():
    assert credit_code_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize(("code", "error"), [
    ("91350100M000100Y44", "credit_check"),
    ("91350100M000100Y4", "credit_format"),
    ("91350100I000100Y43", "credit_format"),
    ("", "credit_format"),
])
def test_bad_credit_codes_are_refused(code, error):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error


def test_id_number_check_digit():
    assert id_number_check_char("11010519491231002") == "X"
    validate_id_number("11010519491231002X")
    validate_id_number("11010519491231002x")
    for bad, code in [("110105194912310021", "id_check"), ("11010519491331002X", "id_birth"), ("1101051949123100", "id_format")]:
        with pytest.raises(ValidationError) as excinfo:
            validate_id_number(bad)
        assert excinfo.value.code == code


@pytest.mark.parametrize("number", ["1101051949123100²X", "²10105194912310021", "１１０１０５１９４９１２３１００２X"])
def test_digits_that_are_not_ascii_are_refused_not_crashed_on(number):
    with pytest.raises(ValidationError):
        validate_id_number(number)
