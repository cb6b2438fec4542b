// n8n stores and serves execution data in `flatted` format: a JSON array whose first entry is
// the root, where every object, array and string is an entry and is referred to by its index
// (as a string). Numbers, booleans and null stay inline.

export function parseFlatted(text: string): unknown {
	const table = JSON.parse(text) as unknown[];
	if (!Array.isArray(table) || table.length === 0) throw new Error('not flatted data');
	const revived = new Map<number, unknown>();
	const revive = (index: number): unknown => {
		if (revived.has(index)) return revived.get(index);
		const entry = table[index];
		if (typeof entry !== 'object' || entry === null) {
			revived.set(index, entry);
			return entry;
		}
		const out: Record<string, unknown> | unknown[] = Array.isArray(entry) ? [] : {};
		revived.set(index, out);
		for (const [key, value] of Object.entries(entry)) {
			(out as Record<string, unknown>)[key] =
				typeof value === 'string' ? revive(Number(value)) : value;
		}
		return out;
	};
	return revive(0);
}
