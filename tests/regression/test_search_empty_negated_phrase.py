"""A negated empty phrase (`trust -""`) is a one-line error, not a NOT of nothing that fails later.

Found by mypy: the quoted-NOT branch of the search parser wrapped a missing operand in `Not`.
"""

import pytest

from workbench.model import WorkbenchError
from workbench.search import parse


@pytest.mark.parametrize("query", ['trust -""', '-"" trust'])
def test_negated_empty_phrase_is_a_clear_error(query):
    with pytest.raises(WorkbenchError, match="NOT needs a word after it"):
        parse(query)
