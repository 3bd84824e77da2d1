namespace PipeRL.Envs.MinAtar.Games;

/// <summary>
/// A growable list of <see cref="SeaquestObject"/> with the Python list operations Seaquest relies on:
/// append, remove-first-equal-value, and a forward search by cell.
/// </summary>
internal sealed class SeaquestObjectList
{
    private SeaquestObject[] _items = new SeaquestObject[16];

    /// <summary>Number of objects.</summary>
    public int Count { get; private set; }

    /// <summary>The object at <paramref name="index"/> (no bounds check beyond the array's).</summary>
    public ref SeaquestObject this[int index] => ref _items[index];

    /// <summary>Appends <paramref name="item"/> (Python's <c>+= [item]</c>).</summary>
    public void Add(SeaquestObject item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary>Removes the item at <paramref name="index"/>, shifting later ones down.</summary>
    public void RemoveAt(int index)
    {
        Count--;
        Array.Copy(_items, index + 1, _items, index, Count - index);
    }

    /// <summary>Python's <c>list.remove(value)</c>: removes the first item equal to <paramref name="value"/> and returns its index.</summary>
    public int RemoveFirstEqual(in SeaquestObject value)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].Equals(value))
            {
                RemoveAt(i);
                return i;
            }
        }

        throw new InvalidOperationException("Seaquest object to remove is not in its list.");
    }

    /// <summary>The index of the first object on cell (<paramref name="y"/>, <paramref name="x"/>), or -1.</summary>
    public int IndexAt(int x, int y)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].X == x && _items[i].Y == y)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Whether some object is on row <paramref name="y"/> moving the direction opposite to <paramref name="right"/>.</summary>
    public bool AnyOnRowOpposite(int y, bool right)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_items[i].Y == y && _items[i].Right != right)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes the objects in order.</summary>
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Count);
        for (var i = 0; i < Count; i++)
        {
            ref var item = ref _items[i];
            writer.WriteArray([item.X, item.Y, item.MoveTimer, item.ShotTimer]);
            writer.Write(item.Right);
        }
    }

    /// <summary>Replaces the objects with those <see cref="WriteState"/> wrote.</summary>
    public void ReadState(BinaryReader reader)
    {
        // A guard against garbage only: a board of 100 cells holds far fewer objects of one kind.
        var count = reader.ReadInt32(0, 1024, "a Seaquest object count");
        Clear();
        Span<int> v = stackalloc int[4];
        for (var i = 0; i < count; i++)
        {
            reader.ReadArray(v);
            Add(new SeaquestObject(v[0], v[1], reader.ReadBoolean(), v[2], v[3]));
        }
    }

    /// <summary>Empties the list (keeps the storage).</summary>
    public void Clear() => Count = 0;
}
