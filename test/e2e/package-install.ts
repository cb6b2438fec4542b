// The package under test, built and packed as npm would publish it, then installed into an n8n
// user folder the way n8n 2.8.4's Community Nodes installer does it
// (CommunityPackagesService.downloadPackage): unpack into .n8n/nodes/node_modules/<name>, drop
// dev/peer/optional dependencies from its package.json, `npm install` its own dependencies there,
// and record it in .n8n/nodes/package.json. Only `npm pack <name>@<version>` from the registry is
// replaced by the local tarball.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { mustRun } from './processes';

const NPM_INSTALL_ARGS = [
	'install',
	'--audit=false',
	'--fund=false',
	'--bin-links=false',
	'--install-strategy=shallow',
	'--ignore-scripts=true',
	'--package-lock=false',
];

export interface PackedPackage {
	tarball: string;
	name: string;
	version: string;
	files: string[];
}

interface PackageJson {
	name: string;
	version: string;
	[key: string]: unknown;
}

/** `npm run build`, then `npm pack` into `destination`. */
export async function buildAndPack(root: string, destination: string): Promise<PackedPackage> {
	await mustRun('npm', ['run', 'build'], { cwd: root, timeoutMs: 5 * 60_000 });
	return pack(root, destination);
}

export async function pack(root: string, destination: string): Promise<PackedPackage> {
	mkdirSync(destination, { recursive: true });
	const result = await mustRun('npm', ['pack', '--json', '--pack-destination', destination], {
		cwd: root,
		timeoutMs: 2 * 60_000,
	});
	const json = result.stdout.slice(result.stdout.indexOf('['));
	const [info] = JSON.parse(json) as Array<{
		filename: string;
		name: string;
		version: string;
		files: Array<{ path: string }>;
	}>;
	return {
		tarball: path.join(destination, info.filename),
		name: info.name,
		version: info.version,
		files: info.files.map((file) => file.path),
	};
}

/** Reads package.json straight out of a tarball. */
export async function tarballPackageJson(tarball: string): Promise<PackageJson> {
	const result = await mustRun('tar', ['-xzOf', tarball, 'package/package.json']);
	return JSON.parse(result.stdout) as PackageJson;
}

/** Installs `tarball` as a community package of the n8n whose user folder is `userFolder`. */
export async function installCommunityPackage(
	userFolder: string,
	tarball: string,
): Promise<{ directory: string; name: string; version: string }> {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const manifestPath = path.join(nodesDir, 'package.json');
	mkdirSync(nodesDir, { recursive: true });
	let manifest: { name: string; private: boolean; dependencies: Record<string, string> };
	try {
		manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as typeof manifest;
	} catch {
		manifest = { name: 'installed-nodes', private: true, dependencies: {} };
	}

	const { name } = await tarballPackageJson(tarball);
	const directory = path.join(nodesDir, 'node_modules', name);
	rmSync(directory, { recursive: true, force: true });
	mkdirSync(directory, { recursive: true });
	await mustRun('tar', ['-xzf', tarball, '-C', directory, '--strip-components=1']);

	const packageJsonPath = path.join(directory, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		readFileSync(packageJsonPath, 'utf8'),
	) as PackageJson;
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2), 'utf8');
	await mustRun('npm', NPM_INSTALL_ARGS, { cwd: directory, timeoutMs: 3 * 60_000 });

	manifest.dependencies[name] = packageJson.version;
	writeFileSync(manifestPath, JSON.stringify(manifest, null, 2), 'utf8');
	return { directory, name, version: packageJson.version };
}
