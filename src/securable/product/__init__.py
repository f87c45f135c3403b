"""Product descriptions: one ``securable.yaml`` per device, answering NISTIR 8259's questions.

>>> from securable.product import load_product, question_status
>>> product = load_product(Path("examples/home-camera/securable.yaml"))  # doctest: +SKIP

Importing this package loads pydantic; PyYAML is imported only when a file is read.
"""

from securable.product.loader import LoadedProduct, load_document, load_product, parse_document, parse_product
from securable.product.model import FORMAT_VERSION, Means, Need, Product, UseCase
from securable.product.questions import QuestionState, Status, question_ids, question_status
from securable.product.yamlsource import MAX_BYTES

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
    "LoadedProduct",
    "Means",
    "Need",
    "Product",
    "QuestionState",
    "Status",
    "UseCase",
    "load_document",
    "load_product",
    "parse_document",
    "parse_product",
    "question_ids",
    "question_status",
]
