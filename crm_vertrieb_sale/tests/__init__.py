from . import test_sale_bridge
