using System.Text;

/// <summary>
/// Writes the CLIP ViT-B/32 vision tower (Hugging Face CLIPVisionModelWithProjection's graph: 32-px patch conv, class
/// token, 50 positions, pre-LayerNorm, 12 pre-norm encoder layers of width 768 with 12 heads and a 3072 quick-GELU MLP,
/// post-LayerNorm of the class token, 768→512 projection) as an ONNX model with seeded random weights, with the
/// input and output names the service reads (pixel_values, image_embeds). The real weights can't be downloaded here;
/// the time per image depends on the architecture, not on the values. Opset 17 (LayerNormalization).
/// </summary>
internal static class VitB32Model
{
    private const int Hidden = 768, Heads = 12, HeadSize = 64, Mlp = 3072, Layers = 12, Patch = 32, Positions = 50, Projection = 512;

    public static long Write(string path, int seed = 1)
    {
        var random = new Random(seed);
        var nodes = new List<byte[]>();
        var initializers = new List<byte[]>();
        long parameters = 0;
        var counter = 0;

        string Weight(string name, float scale, params long[] dims)
        {
            var count = dims.Aggregate(1L, (a, b) => a * b);
            parameters += count;
            var data = new byte[count * 4];
            var span = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data.AsSpan());
            for (var i = 0; i < span.Length; i++) span[i] = (float)((random.NextDouble() * 2 - 1) * scale);
            initializers.Add(Tensor(name, dims, data, 1));
            return name;
        }
        string Constant(string name, float value) { initializers.Add(Tensor(name, [], BitConverter.GetBytes(value), 1)); return name; }
        string Ints(string name, params long[] values)
        {
            var data = new byte[values.Length * 8];
            for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(data.AsSpan(i * 8), values[i]);
            initializers.Add(Tensor(name, [values.Length], data, 7));
            return name;
        }
        string Node(string op, string[] inputs, params byte[][] attributes)
        {
            var output = $"t{counter++}";
            nodes.Add(NodeProto(op, inputs, [output], attributes));
            return output;
        }
        string LayerNorm(string x, string name) => Node("LayerNormalization", [x, Weight(name + ".w", 0.1f, Hidden), Weight(name + ".b", 0.1f, Hidden)], AttrInt("axis", -1), AttrFloat("epsilon", 1e-5f));
        string Linear(string x, string name, int inputs, int outputs) =>
            Node("Add", [Node("MatMul", [x, Weight(name + ".w", 1f / MathF.Sqrt(inputs), inputs, outputs)]), Weight(name + ".b", 0.02f, outputs)]);

        var headShape = Ints("head_shape", 0, 0, Heads, HeadSize);
        var mergedShape = Ints("merged_shape", 0, 0, Hidden);
        var patchShape = Ints("patch_shape", 0, Hidden, -1);
        var scale = Constant("attention_scale", 1f / MathF.Sqrt(HeadSize));
        var gelu = Constant("quick_gelu", 1.702f);

        // Patches: [N, 768, 7, 7] → [N, 49, 768]; a zero row in front is the class token's place, whose embedding is
        // folded into position 0 of the position table (same sums as concatenating the class embedding).
        var patches = Node("Conv", ["pixel_values", Weight("patch.w", 1f / MathF.Sqrt(3 * Patch * Patch), Hidden, 3, Patch, Patch)], AttrInts("strides", Patch, Patch));
        var sequence = Node("Transpose", [Node("Reshape", [patches, patchShape])], AttrInts("perm", 0, 2, 1));
        sequence = Node("Pad", [sequence, Ints("class_pad", 0, 1, 0, 0, 0, 0)]);
        var x = LayerNorm(Node("Add", [sequence, Weight("positions", 0.02f, 1, Positions, Hidden)]), "pre_ln");

        for (var layer = 0; layer < Layers; layer++)
        {
            var p = $"layer{layer}";
            var h = LayerNorm(x, p + ".ln1");
            string SplitHeads(string t) => Node("Transpose", [Node("Reshape", [t, headShape])], AttrInts("perm", 0, 2, 1, 3));
            var q = SplitHeads(Node("Mul", [Linear(h, p + ".q", Hidden, Hidden), scale]));
            var k = Node("Transpose", [Node("Reshape", [Linear(h, p + ".k", Hidden, Hidden), headShape])], AttrInts("perm", 0, 2, 3, 1));
            var v = SplitHeads(Linear(h, p + ".v", Hidden, Hidden));
            var attention = Node("Softmax", [Node("MatMul", [q, k])], AttrInt("axis", -1));
            var context = Node("Reshape", [Node("Transpose", [Node("MatMul", [attention, v])], AttrInts("perm", 0, 2, 1, 3)), mergedShape]);
            x = Node("Add", [x, Linear(context, p + ".out", Hidden, Hidden)]);
            var m = Linear(LayerNorm(x, p + ".ln2"), p + ".fc1", Hidden, Mlp);
            m = Node("Mul", [m, Node("Sigmoid", [Node("Mul", [m, gelu])])]);
            x = Node("Add", [x, Linear(m, p + ".fc2", Mlp, Hidden)]);
        }
        var pooled = LayerNorm(Node("Gather", [x, Ints("class_index", 0)], AttrInt("axis", 1)), "post_ln");
        var embeds = Node("MatMul", [Node("Squeeze", [pooled, Ints("squeeze_axis", 1)]), Weight("projection", 1f / MathF.Sqrt(Hidden), Hidden, Projection)]);
        nodes.Add(NodeProto("Identity", [embeds], ["image_embeds"]));

        var graph = new List<byte[]>();
        foreach (var n in nodes) graph.Add(Field(1, n));
        graph.Add(Field(2, "vit_b32_vision"));
        foreach (var t in initializers) graph.Add(Field(5, t));
        graph.Add(Field(11, ValueInfo("pixel_values", ["batch", 3, 224, 224])));
        graph.Add(Field(12, ValueInfo("image_embeds", ["batch", Projection])));
        var model = Concat(
            Varint(1, 8), // ir_version
            Field(2, "vidpress-bench"),
            Field(7, Concat([.. graph])),
            Field(8, Concat(Field(1, ""), Varint(2, 17))));
        File.WriteAllBytes(path, model);
        return parameters;
    }

    private static byte[] Tensor(string name, long[] dims, byte[] data, int type)
    {
        var parts = dims.Select(d => Varint(1, (ulong)d)).ToList();
        parts.Add(Varint(2, (ulong)type));
        parts.Add(Field(8, name));
        parts.Add(Field(9, data));
        return Concat([.. parts]);
    }

    private static byte[] NodeProto(string op, string[] inputs, string[] outputs, params byte[][] attributes)
    {
        var parts = inputs.Select(i => Field(1, i)).Concat(outputs.Select(o => Field(2, o))).ToList();
        parts.Add(Field(4, op));
        parts.AddRange(attributes.Select(a => Field(5, a)));
        return Concat([.. parts]);
    }

    private static byte[] ValueInfo(string name, object[] dims)
    {
        var shape = Concat(dims.Select(d => Field(1, d is string s ? Field(2, s) : Varint(1, (ulong)(int)d))).ToArray());
        var tensorType = Concat(Varint(1, 1), Field(2, shape));
        return Concat(Field(1, name), Field(2, Field(1, tensorType)));
    }

    private static byte[] AttrInt(string name, long value) => Concat(Field(1, name), Varint(3, (ulong)value), Varint(20, 2));
    private static byte[] AttrFloat(string name, float value) => Concat(Field(1, name), Fixed32(2, value), Varint(20, 1));
    private static byte[] AttrInts(string name, params long[] values) => Concat([Field(1, name), .. values.Select(v => Varint(8, (ulong)v)), Varint(20, 7)]);

    private static byte[] Field(int number, string text) => Field(number, Encoding.UTF8.GetBytes(text));

    private static byte[] Field(int number, byte[] payload) => Concat(Key(number, 2), Raw((ulong)payload.Length), payload);

    private static byte[] Varint(int number, ulong value) => Concat(Key(number, 0), Raw(value));

    private static byte[] Fixed32(int number, float value) => Concat(Key(number, 5), BitConverter.GetBytes(value));

    private static byte[] Key(int number, int wireType) => Raw((ulong)((number << 3) | wireType));

    private static byte[] Raw(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        return [.. bytes];
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => (long)p.Length)];
        var offset = 0;
        foreach (var p in parts) { p.CopyTo(result, offset); offset += p.Length; }
        return result;
    }
}
