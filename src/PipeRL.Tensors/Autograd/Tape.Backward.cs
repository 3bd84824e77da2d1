namespace PipeRL.Tensors;

/// <summary>Dispatch of backward rules.</summary>
public sealed partial class Tape
{
    private void BackwardNode(Node node)
    {
        switch (node.Kind)
        {
            case OpKind.Input:
            case OpKind.Param:
                break;
            case OpKind.MatMul:
                BackwardMatMul(node);
                break;
            case OpKind.Linear:
                BackwardLinear(node);
                break;
            case OpKind.AddBias:
                BackwardAddBias(node);
                break;
            case OpKind.Add:
            case OpKind.Sub:
            case OpKind.Mul:
            case OpKind.Div:
            case OpKind.Minimum:
            case OpKind.Maximum:
                BackwardBinary(node);
                break;
            case OpKind.Scale:
            case OpKind.AddScalar:
            case OpKind.Exp:
            case OpKind.Log:
            case OpKind.Square:
            case OpKind.Sqrt:
            case OpKind.Relu:
            case OpKind.Tanh:
            case OpKind.Sigmoid:
            case OpKind.Clamp:
                BackwardUnary(node);
                break;
            case OpKind.Sum:
            case OpKind.Mean:
            case OpKind.SumLast:
            case OpKind.LogSoftmax:
            case OpKind.Softmax:
            case OpKind.Gather:
                BackwardReduce(node);
                break;
            case OpKind.Mse:
                BackwardMse(node);
                break;
            case OpKind.Alias:
            case OpKind.RowSlice:
            case OpKind.Slice:
            case OpKind.Concat:
                BackwardLayout(node);
                break;
            case OpKind.ConcatRows:
                BackwardConcatRows(node);
                break;
            case OpKind.Conv2d:
                BackwardConv2d(node);
                break;
            case OpKind.MaxPool2d:
            case OpKind.AvgPool2d:
                BackwardPool2d(node);
                break;
            case OpKind.LstmC:
                BackwardLstmC(node);
                break;
            default:
                BackwardLstmH(node);
                break;
        }
    }
}
