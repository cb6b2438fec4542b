// Copies what tsc does not emit (the icons, the codex files) into dist/: icons/ beside nodes/ and
// credentials/, which point at it with relative `file:` paths, codex files beside their nodes.
// `encoding: false` copies files byte for byte under gulp 5.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['icons/*.svg', 'nodes/**/*.json'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.build = copyAssets;
exports.default = copyAssets;
