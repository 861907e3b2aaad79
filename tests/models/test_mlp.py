import pytest
import torch
from torch import nn

from sheetrl.models.mlp import QNetwork, mlp


def test_mlp_stacks_linear_relu_dropout_with_a_linear_output():
    net = mlp([10, 8, 6, 3], dropout=0.25)
    kinds = [type(layer) for layer in net]
    assert kinds == [nn.Linear, nn.ReLU, nn.Dropout, nn.Linear, nn.ReLU, nn.Dropout, nn.Linear]
    shapes = [(layer.in_features, layer.out_features) for layer in net if isinstance(layer, nn.Linear)]
    assert shapes == [(10, 8), (8, 6), (6, 3)]
    assert net[2].p == 0.25
    assert net(torch.zeros(5, 10)).shape == (5, 3)


def test_mlp_without_dropout_has_no_dropout_layers_and_two_sizes_make_one_linear_layer():
    assert [type(layer) for layer in mlp([4, 4, 2])] == [nn.Linear, nn.ReLU, nn.Linear]
    assert [type(layer) for layer in mlp([4, 2])] == [nn.Linear]


@pytest.mark.parametrize("sizes, dropout", [([5], 0.0), ([5, 0, 2], 0.0), ([5, 2], 1.0), ([5, 2], -0.1)])
def test_mlp_rejects_bad_sizes_and_dropout(sizes, dropout):
    with pytest.raises(ValueError):
        mlp(sizes, dropout=dropout)


def test_q_network_has_the_seed_shape_768_512_512_n():
    net = QNetwork(n_actions=64)
    linears = [layer for layer in net.modules() if isinstance(layer, nn.Linear)]
    assert [(layer.in_features, layer.out_features) for layer in linears] == [(768, 512), (512, 512), (512, 64)]
    assert sum(p.numel() for p in net.parameters()) == 768 * 512 + 512 + 512 * 512 + 512 + 512 * 64 + 64
    assert [m.p for m in net.modules() if isinstance(m, nn.Dropout)] == [0.1, 0.1]
    assert net(torch.zeros(3, 768)).shape == (3, 64)


def test_q_network_dropout_acts_only_in_train_mode():
    torch.manual_seed(0)
    net = QNetwork(n_actions=5, observation_size=16, hidden_sizes=(32, 32), dropout=0.5)
    x = torch.randn(4, 16)
    net.eval()
    assert torch.equal(net(x), net(x))
    net.train()
    assert not torch.equal(net(x), net(x))


def test_q_network_names_the_expected_observation_size_on_a_wrong_input():
    with pytest.raises(ValueError, match="768"):
        QNetwork(n_actions=5)(torch.zeros(2, 100))
