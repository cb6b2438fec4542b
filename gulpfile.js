// Copies what tsc does not emit (icons, codex files) into dist/, beside the compiled nodes.
// `encoding: false` keeps binary icons byte for byte under gulp 5.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.build = copyAssets;
exports.default = copyAssets;
