"""TensorFlow scope names -> facenet-pytorch modules, without loading any model."""

from __future__ import annotations

import pytest

from checkout_app.backends.facenet_convert import map_conv_scopes

P = "InceptionResnetV1/"


def test_stem_blocks_and_branches_map_by_name_not_position():
    scopes = [
        P + "Conv2d_4b_3x3",
        P + "Repeat/block35_3/Branch_2/Conv2d_0c_3x3",
        P + "Repeat/block35_3/Branch_2/Conv2d_0a_1x1",
        P + "Repeat/block35_3/Branch_2/Conv2d_0b_3x3",
        P + "Repeat/block35_3/Branch_0/Conv2d_1x1",
        P + "Repeat/block35_3/Conv2d_1x1",
        P + "Mixed_6a/Branch_1/Conv2d_1a_3x3",
        P + "Mixed_6a/Branch_1/Conv2d_0a_1x1",
        P + "Mixed_6a/Branch_1/Conv2d_0b_3x3",
        P + "Mixed_6a/Branch_0/Conv2d_1a_3x3",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0c_7x1",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0a_1x1",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0b_1x7",
        P + "Mixed_7a/Branch_0/Conv2d_1a_3x3",
        P + "Mixed_7a/Branch_0/Conv2d_0a_1x1",
        P + "Repeat_2/block8_5/Conv2d_1x1",
        P + "Block8/Branch_1/Conv2d_0b_1x3",
        P + "Block8/Branch_1/Conv2d_0a_1x1",
    ]
    mapping = map_conv_scopes(scopes)
    assert mapping == {
        P + "Conv2d_4b_3x3": "conv2d_4b",
        P + "Repeat/block35_3/Branch_2/Conv2d_0a_1x1": "repeat_1.2.branch2.0",
        P + "Repeat/block35_3/Branch_2/Conv2d_0b_3x3": "repeat_1.2.branch2.1",
        P + "Repeat/block35_3/Branch_2/Conv2d_0c_3x3": "repeat_1.2.branch2.2",
        P + "Repeat/block35_3/Branch_0/Conv2d_1x1": "repeat_1.2.branch0",
        P + "Repeat/block35_3/Conv2d_1x1": "repeat_1.2.conv2d",
        P + "Mixed_6a/Branch_1/Conv2d_0a_1x1": "mixed_6a.branch1.0",
        P + "Mixed_6a/Branch_1/Conv2d_0b_3x3": "mixed_6a.branch1.1",
        P + "Mixed_6a/Branch_1/Conv2d_1a_3x3": "mixed_6a.branch1.2",
        P + "Mixed_6a/Branch_0/Conv2d_1a_3x3": "mixed_6a.branch0",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0a_1x1": "repeat_2.9.branch1.0",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0b_1x7": "repeat_2.9.branch1.1",
        P + "Repeat_1/block17_10/Branch_1/Conv2d_0c_7x1": "repeat_2.9.branch1.2",
        P + "Mixed_7a/Branch_0/Conv2d_0a_1x1": "mixed_7a.branch0.0",
        P + "Mixed_7a/Branch_0/Conv2d_1a_3x3": "mixed_7a.branch0.1",
        P + "Repeat_2/block8_5/Conv2d_1x1": "repeat_3.4.conv2d",
        P + "Block8/Branch_1/Conv2d_0a_1x1": "block8.branch1.0",
        P + "Block8/Branch_1/Conv2d_0b_1x3": "block8.branch1.1",
    }


def test_an_unknown_scope_is_an_error():
    with pytest.raises(ValueError, match="unexpected"):
        map_conv_scopes([P + "Logits/Conv2d_9z"])
