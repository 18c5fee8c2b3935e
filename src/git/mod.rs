//! Git access (git2): the base commit, one first-parent revwalk, trees read once per distinct
//! subtree, the index. Knows nothing of Avro; hands snapshots to `core::history`.

use crate::core::history::{BlobKey, Delta, FileEntry, Snapshot};
use crate::core::samples::EXAMPLES_SUFFIX;
use crate::workspace::UsageError;
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct GitRepo {
    repo: Repository,
    workdir: PathBuf,
    /// Listing of each subtree already read, by tree id: most subtrees repeat across commits.
    trees: HashMap<Oid, std::rc::Rc<Listing>>,
    /// Samples files (`*.examples.jsonl`, docs/samples.md) seen so far: every one in a tree
    /// listed by [`GitRepo::commit_files`] and every one a diff of [`GitRepo::deltas`] touched.
    samples_seen: std::cell::RefCell<std::collections::HashSet<String>>,
}

/// The files of one subtree that matter, with paths relative to it.
#[derive(Default)]
struct Listing {
    /// `.avsc` blobs.
    schemas: Vec<(String, Oid)>,
    /// Samples files beside them.
    samples: Vec<String>,
}

/// The commit versions are read from, and how to name it in messages.
pub struct Base {
    pub commit: Oid,
    pub label: String,
}

/// What there is to compare with.
pub enum BaseState {
    Commit(Base),
    /// The repository has no commits yet: no history, every schema is new.
    NoCommits,
}

/// The first-parent history of the base, oldest first.
pub struct History {
    pub commits: Vec<(Oid, String)>,
    /// The walk stopped at a shallow-clone boundary: older history exists but is not here.
    pub shallow: bool,
}

fn git_err(what: &str, e: git2::Error) -> UsageError {
    UsageError::new(format!("{what}: {}", e.message()), "check the repository and the ref you passed")
}

pub fn short(oid: Oid) -> String {
    oid.to_string()[..7].to_string()
}

fn key(oid: Oid) -> BlobKey {
    let mut k = [0u8; 20];
    k.copy_from_slice(oid.as_bytes());
    k
}

/// The git blob id of some bytes, so work-tree files and committed blobs share identities.
pub fn blob_key(bytes: &[u8]) -> BlobKey {
    key(Oid::hash_object(ObjectType::Blob, bytes).expect("hashing bytes cannot fail"))
}

/// Makes `dir` a git repository on `main` unless it is inside one already; true when created.
pub fn init_if_outside(dir: &Path) -> Result<bool, UsageError> {
    if Repository::discover(dir).is_ok() {
        return Ok(false);
    }
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    Repository::init_opts(dir, &opts).map_err(|e| git_err("cannot create a git repository", e))?;
    Ok(true)
}

impl GitRepo {
    pub fn open(cwd: &Path) -> Result<GitRepo, UsageError> {
        // Objects come from the repository CI cloned or the user works in; re-hashing every
        // object read to verify it costs a third of a history walk.
        git2::opts::strict_hash_verification(false);
        let repo = Repository::discover(cwd).map_err(|_| {
            UsageError::new(
                format!("`{}` is not inside a git repository", cwd.display()),
                "run `check` in a clone of your schema repository, or use `validate` and `compat` on files",
            )
        })?;
        let workdir = repo
            .workdir()
            .map(Path::to_path_buf)
            .ok_or_else(|| UsageError::new("the repository is bare", "run `check` in a clone with a work tree"))?;
        Ok(GitRepo { repo, workdir, trees: HashMap::new(), samples_seen: Default::default() })
    }

    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `against` when given; else the merge-base of HEAD with the base branch (`main`, then
    /// `master`, each also as `origin/<name>`; or the configured one).
    pub fn base(&self, against: Option<&str>, base_branch: Option<&str>) -> Result<Base, UsageError> {
        if let Some(r) = against {
            let commit =
                self.repo.revparse_single(r).and_then(|o| o.peel_to_commit()).map_err(|e| self.unresolved(r, e))?;
            return Ok(Base { commit: commit.id(), label: format!("{r} ({})", short(commit.id())) });
        }
        let names: Vec<&str> = match base_branch {
            Some(b) => vec![b],
            None => vec!["main", "master"],
        };
        let mut branch = None;
        'outer: for n in &names {
            for full in [format!("refs/heads/{n}"), format!("refs/remotes/origin/{n}"), n.to_string()] {
                if let Ok(c) = self.repo.revparse_single(&full).and_then(|o| o.peel_to_commit()) {
                    let shown = full.trim_start_matches("refs/heads/").trim_start_matches("refs/remotes/").to_string();
                    branch = Some((c.id(), shown));
                    break 'outer;
                }
            }
        }
        let Some((branch_commit, branch_name)) = branch else {
            if self.has_no_commits() {
                return Err(UsageError::new(
                    "the repository has no commits yet: there is no history to compare with",
                    "every schema is new: run `validate` and `lint`, or commit the schemas first",
                ));
            }
            return Err(UsageError::new(
                format!("cannot find the base branch `{}` (locally or as origin/{})", names[0], names[0]),
                "pass --against REF, set `git.base_branch` in schemapipe.yaml, or fetch the branch (`git fetch origin main`)",
            ));
        };
        let head = match self.repo.head().and_then(|h| h.peel_to_commit()) {
            Ok(h) => h.id(),
            Err(_) => {
                return Ok(Base { commit: branch_commit, label: format!("{branch_name} ({})", short(branch_commit)) })
            }
        };
        match self.repo.merge_base(head, branch_commit) {
            Ok(mb) if mb == branch_commit => Ok(Base { commit: mb, label: format!("{branch_name} ({})", short(mb)) }),
            Ok(mb) => Ok(Base { commit: mb, label: format!("merge-base with {branch_name} ({})", short(mb)) }),
            Err(e) => Err(UsageError::new(
                format!("HEAD and `{branch_name}` have no common ancestor: {}", e.message()),
                "fetch more history (`git fetch --unshallow`) or pass --against REF",
            )),
        }
    }

    /// Why a revision does not resolve, said as what to do: an ancestor (`HEAD~100`) past the
    /// history this clone holds (shallow or not), a ref that was never fetched, or a typo.
    fn unresolved(&self, r: &str, e: git2::Error) -> UsageError {
        if self.head_commit().is_none() && self.repo.references().map(|mut i| i.next().is_none()).unwrap_or(true) {
            return UsageError::new(
                format!("cannot compare with `{r}`: the repository has no commits yet"),
                "commit the schemas first, or use `validate` and `lint` on the working tree",
            );
        }
        // `base~N`, `base^`, `base^2`...: the base resolves, the ancestor does not.
        let cut = r.find(['~', '^']).unwrap_or(r.len());
        let (name, walk) = r.split_at(cut);
        let name_resolves = !name.is_empty() && self.repo.revparse_single(name).is_ok();
        let depth: u64 = walk
            .split(['~', '^'])
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.parse::<u64>().ok())
            .sum::<u64>()
            .max(walk.matches(['~', '^']).count() as u64);
        if name_resolves && !walk.is_empty() {
            let have = self
                .repo
                .revparse_single(name)
                .ok()
                .and_then(|o| o.peel_to_commit().ok())
                .and_then(|c| self.history(c.id()).ok())
                .map(|h| h.commits.len());
            let had =
                have.map(|n| format!(" (it holds {n} commits of `{name}`'s first-parent history)")).unwrap_or_default();
            if self.repo.is_shallow() {
                return UsageError::new(
                    format!("`{r}` is not in this clone: it is a shallow clone{had}"),
                    format!(
                        "fetch the history it needs (`git fetch --deepen={depth}`, or all of it: `git fetch --unshallow`); in CI, set the checkout's fetch depth to 0"
                    ),
                );
            }
            return UsageError::new(
                format!("`{r}` does not exist: the history of `{name}` is shorter than that{had}"),
                "pass a nearer ancestor, or a branch, tag or commit",
            );
        }
        if !name_resolves {
            let (remote, branch) = name.split_once('/').unwrap_or(("origin", name));
            let fetch = if name.contains('/') {
                format!("`git fetch {remote} {branch}`")
            } else {
                format!("`git fetch origin {name}` (then pass origin/{name}), or check the spelling")
            };
            return UsageError::new(
                format!("`{r}` is not in this clone ({})", e.message()),
                format!("fetch it: {fetch}; CI checkouts often hold only the branch being built"),
            );
        }
        UsageError::new(
            format!("cannot resolve `{r}` to a commit: {}", e.message()),
            "pass a branch, tag or commit, e.g. --against origin/main",
        )
    }

    /// Whether the repository has no commits yet (a fresh `git init`): there is no history to
    /// compare with, and every schema is new.
    pub fn has_no_commits(&self) -> bool {
        self.head_commit().is_none()
            && self.repo.references().map(|refs| refs.flatten().all(|r| r.peel_to_commit().is_err())).unwrap_or(true)
    }

    /// [`GitRepo::base`], with a repository without commits as its own state rather than an
    /// error: [`BaseState::NoCommits`] means every schema is new.
    pub fn base_state(&self, against: Option<&str>, base_branch: Option<&str>) -> Result<BaseState, UsageError> {
        if self.has_no_commits() {
            return Ok(BaseState::NoCommits);
        }
        self.base(against, base_branch).map(BaseState::Commit)
    }

    /// [`GitRepo::review_base`], with [`BaseState::NoCommits`] as for [`GitRepo::base_state`].
    pub fn review_base_state(&self, against: Option<&str>, base_branch: Option<&str>) -> Result<BaseState, UsageError> {
        if self.has_no_commits() {
            return Ok(BaseState::NoCommits);
        }
        self.review_base(against, base_branch).map(BaseState::Commit)
    }

    /// The commit a review compares with: the merge-base of HEAD and `against`, which is what a
    /// pull request shows (changes on `against` since the branch started are not the branch's);
    /// without `against`, the merge-base with the base branch, as [`GitRepo::base`].
    pub fn review_base(&self, against: Option<&str>, base_branch: Option<&str>) -> Result<Base, UsageError> {
        let Some(r) = against else { return self.base(None, base_branch) };
        let base = self.base(Some(r), None)?;
        let Ok(head) = self.repo.head().and_then(|h| h.peel_to_commit()) else { return Ok(base) };
        match self.repo.merge_base(head.id(), base.commit) {
            Ok(mb) if mb == base.commit => Ok(base),
            Ok(mb) => Ok(Base { commit: mb, label: format!("merge-base with {r} ({})", short(mb)) }),
            Err(e) => Err(UsageError::new(
                format!("HEAD and `{r}` have no common ancestor: {}", e.message()),
                "fetch more history (`git fetch --unshallow`) or pass another --against REF",
            )),
        }
    }

    /// One first-parent revwalk from `base`, oldest first.
    pub fn history(&self, base: Oid) -> Result<History, UsageError> {
        let mut walk = self.repo.revwalk().map_err(|e| git_err("cannot walk history", e))?;
        walk.push(base).map_err(|e| git_err("cannot walk history", e))?;
        walk.simplify_first_parent().map_err(|e| git_err("cannot walk history", e))?;
        let mut commits = Vec::new();
        for oid in walk {
            let oid = oid.map_err(|e| git_err("cannot walk history", e))?;
            commits.push((oid, short(oid)));
        }
        commits.reverse();
        let shallow = self.repo.is_shallow() && commits.first().is_some_and(|(oid, _)| self.is_shallow_boundary(*oid));
        Ok(History { commits, shallow })
    }

    fn is_shallow_boundary(&self, oid: Oid) -> bool {
        let path = self.repo.path().join("shallow");
        std::fs::read_to_string(path).map(|s| s.lines().any(|l| l.trim() == oid.to_string())).unwrap_or(false)
    }

    /// Every `.avsc` file under `root` (relative to the work tree) in the commit's tree.
    pub fn commit_files(&mut self, commit: Oid, root: &str, label: &str) -> Result<Snapshot, UsageError> {
        let sub = {
            let c = self.repo.find_commit(commit).map_err(|e| git_err("cannot read commit", e))?;
            let tree = c.tree().map_err(|e| git_err("cannot read tree", e))?;
            if root.is_empty() {
                Some(tree.id())
            } else {
                match tree.get_path(Path::new(root)) {
                    Ok(e) if e.kind() == Some(ObjectType::Tree) => Some(e.id()),
                    _ => None,
                }
            }
        };
        let mut files = Vec::new();
        if let Some(t) = sub {
            let listing = self.listing(t)?;
            let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
            files.extend(
                listing.schemas.iter().map(|(p, oid)| FileEntry { path: format!("{prefix}{p}"), key: key(*oid) }),
            );
            self.samples_seen.get_mut().extend(listing.samples.iter().map(|p| format!("{prefix}{p}")));
        }
        Ok(Snapshot { label: label.to_string(), files })
    }

    /// `.avsc` blobs and samples files under a tree, with paths relative to it; cached per tree id.
    fn listing(&mut self, tree: Oid) -> Result<std::rc::Rc<Listing>, UsageError> {
        if let Some(l) = self.trees.get(&tree) {
            return Ok(l.clone());
        }
        let mut out = Listing::default();
        let mut subtrees = Vec::new();
        {
            let t = self.repo.find_tree(tree).map_err(|e| git_err("cannot read tree", e))?;
            for e in t.iter() {
                let Ok(name) = e.name() else { continue };
                match e.kind() {
                    Some(ObjectType::Tree) if !name.starts_with('.') => subtrees.push((name.to_string(), e.id())),
                    Some(ObjectType::Blob) if name.ends_with(".avsc") && !name.starts_with('.') => {
                        out.schemas.push((name.to_string(), e.id()))
                    }
                    Some(ObjectType::Blob) if name.ends_with(EXAMPLES_SUFFIX) && !name.starts_with('.') => {
                        out.samples.push(name.to_string())
                    }
                    _ => {}
                }
            }
        }
        for (name, id) in subtrees {
            let sub = self.listing(id)?;
            out.schemas.extend(sub.schemas.iter().map(|(p, o)| (format!("{name}/{p}"), *o)));
            out.samples.extend(sub.samples.iter().map(|p| format!("{name}/{p}")));
        }
        let rc = std::rc::Rc::new(out);
        self.trees.insert(tree, rc.clone());
        Ok(rc)
    }

    /// The samples files seen by [`GitRepo::commit_files`] and [`GitRepo::deltas`] so far, repo
    /// paths. After listing a commit and diffing the first-parent history that ends in it, a
    /// samples file of any of those commits is among them: one missing from the last commit
    /// was removed by a change that a diff saw.
    pub fn take_samples_seen(&mut self) -> std::collections::HashSet<String> {
        std::mem::take(self.samples_seen.get_mut())
    }

    /// The `.avsc` changes under `root` between consecutive commits: `out[i]` holds the
    /// changes from `commits[i - 1]` to `commits[i]` (`out[0]` is empty), in path order.
    /// Only subtrees whose ids differ are read, so the cost follows the changes, not the
    /// repository size.
    pub fn deltas(&self, commits: &[(Oid, String)], root: &str) -> Result<Vec<Vec<Delta>>, UsageError> {
        let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
        let mut out = vec![Vec::new()];
        let mut prev = match commits.first() {
            Some((c, _)) => self.root_tree_id(*c, root)?,
            None => return Ok(Vec::new()),
        };
        let mut path = prefix.clone();
        for (c, _) in &commits[1..] {
            let cur = self.root_tree_id(*c, root)?;
            let mut changes = Vec::new();
            if prev != cur {
                self.diff_trees(prev, cur, &mut path, &mut changes)?;
            }
            out.push(changes);
            prev = cur;
        }
        Ok(out)
    }

    /// The id of the subtree at `root` in a commit, if it exists.
    fn root_tree_id(&self, commit: Oid, root: &str) -> Result<Option<Oid>, UsageError> {
        let c = self.repo.find_commit(commit).map_err(|e| git_err("cannot read commit", e))?;
        if root.is_empty() {
            return Ok(Some(c.tree_id()));
        }
        let tree = c.tree().map_err(|e| git_err("cannot read tree", e))?;
        match tree.get_path(Path::new(root)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(Some(e.id())),
            _ => Ok(None),
        }
    }

    /// The `.avsc` files that differ between two trees (either may be missing), appended to
    /// `out` in path order with `path` (ending in `/` or empty) before their names. Entries
    /// are merged in git's tree order (a tree's name sorts as if followed by `/`), so a file
    /// replaced by a directory of the same name is a removal and additions; subtrees with
    /// equal ids and hidden (`.`) entries are skipped.
    fn diff_trees(
        &self,
        old: Option<Oid>,
        new: Option<Oid>,
        path: &mut String,
        out: &mut Vec<Delta>,
    ) -> Result<(), UsageError> {
        let read = |id: Option<Oid>| -> Result<Option<git2::Tree<'_>>, UsageError> {
            id.map(|id| self.repo.find_tree(id).map_err(|e| git_err("cannot read tree", e))).transpose()
        };
        let (ta, tb) = (read(old)?, read(new)?);
        let (la, lb) = (ta.as_ref().map_or(0, |t| t.len()), tb.as_ref().map_or(0, |t| t.len()));
        // Git's order: a tree's name compares as if it ended in `/`.
        let order = |x: &git2::TreeEntry<'_>, y: &git2::TreeEntry<'_>| {
            let (a, b) = (x.name_bytes(), y.name_bytes());
            let n = a.len().min(b.len());
            a[..n].cmp(&b[..n]).then_with(|| {
                let next = |s: &[u8], e: &git2::TreeEntry<'_>| {
                    s.get(n).copied().or_else(|| (e.kind() == Some(ObjectType::Tree)).then_some(b'/'))
                };
                next(a, x).cmp(&next(b, y))
            })
        };
        let (mut i, mut j) = (0, 0);
        while i < la || j < lb {
            let (x, y) = (ta.as_ref().and_then(|t| t.get(i)), tb.as_ref().and_then(|t| t.get(j)));
            let (o, n) = match (x, y) {
                (Some(x), Some(y)) => match order(&x, &y) {
                    std::cmp::Ordering::Less => (Some(x), None),
                    std::cmp::Ordering::Greater => (None, Some(y)),
                    std::cmp::Ordering::Equal => (Some(x), Some(y)),
                },
                (Some(x), None) => (Some(x), None),
                (None, y) => (None, y),
            };
            i += usize::from(o.is_some());
            j += usize::from(n.is_some());
            let Some(e) = o.as_ref().or(n.as_ref()) else { break };
            if o.as_ref().zip(n.as_ref()).is_some_and(|(x, y)| x.id() == y.id()) || e.name_bytes().starts_with(b".") {
                continue;
            }
            let Ok(name) = std::str::from_utf8(e.name_bytes()) else { continue };
            let len = path.len();
            path.push_str(name);
            if e.kind() == Some(ObjectType::Tree) {
                path.push('/');
                self.diff_trees(o.map(|x| x.id()), n.map(|y| y.id()), path, out)?;
            } else if name.ends_with(".avsc") {
                out.push(Delta { path: path.clone(), old: o.map(|x| key(x.id())), new: n.map(|y| key(y.id())) });
            } else if name.ends_with(EXAMPLES_SUFFIX) {
                self.samples_seen.borrow_mut().insert(path.clone());
            }
            path.truncate(len);
        }
        Ok(())
    }

    /// Blob ids git already knows for work-tree files: index entries whose recorded size and
    /// modification time match the file, as `git status` trusts them (entries written in the
    /// same second as the index itself are left out, as git does, since the file may have
    /// changed unseen). Saves hashing every file.
    pub fn known_blobs(&self) -> HashMap<String, (u64, i64, u32, BlobKey)> {
        let mut out = HashMap::new();
        let Ok(index) = self.repo.index() else { return out };
        let index_mtime = std::fs::metadata(self.repo.path().join("index"))
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| (d.as_secs() as i64, d.subsec_nanos()));
        for e in index.iter() {
            // "Racily clean": written no earlier than the index itself, so it may have changed
            // unseen within the timestamp's resolution. Git re-reads those; so does this.
            if index_mtime.is_none_or(|m| (i64::from(e.mtime.seconds()), e.mtime.nanoseconds()) >= m) {
                continue;
            }
            let path = String::from_utf8_lossy(&e.path).into_owned();
            out.insert(path, (u64::from(e.file_size), i64::from(e.mtime.seconds()), e.mtime.nanoseconds(), key(e.id)));
        }
        out
    }

    /// `.avsc` entries under `root` in the index: path and blob id, without reading contents.
    pub fn index_entries(&self, root: &str) -> Result<Vec<FileEntry>, UsageError> {
        let index = self.repo.index().map_err(|e| git_err("cannot read the index", e))?;
        let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
        Ok(index
            .iter()
            .filter_map(|e| {
                let path = String::from_utf8_lossy(&e.path).into_owned();
                (path.starts_with(&prefix) && path.ends_with(".avsc") && !path.split('/').any(|s| s.starts_with('.')))
                    .then(|| FileEntry { path, key: key(e.id) })
            })
            .collect())
    }

    /// The commit HEAD points at, if any (none in a repository without commits).
    pub fn head_commit(&self) -> Option<Oid> {
        self.repo.head().ok()?.peel_to_commit().ok().map(|c| c.id())
    }

    /// `.avsc` files under `root` in the index (for pre-commit hooks), with their bytes.
    pub fn index_files(&self, root: &str) -> Result<Vec<(String, Vec<u8>)>, UsageError> {
        let index = self.repo.index().map_err(|e| git_err("cannot read the index", e))?;
        let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
        let mut out = Vec::new();
        for e in index.iter() {
            let path = String::from_utf8_lossy(&e.path).into_owned();
            if path.starts_with(&prefix) && path.ends_with(".avsc") && !path.split('/').any(|s| s.starts_with('.')) {
                let blob = self.repo.find_blob(e.id).map_err(|err| git_err("cannot read a staged file", err))?;
                out.push((path, blob.content().to_vec()));
            }
        }
        Ok(out)
    }

    /// Bytes of a blob.
    pub fn blob(&self, k: &BlobKey) -> Result<Vec<u8>, String> {
        let oid = Oid::from_bytes(k).map_err(|e| e.message().to_string())?;
        self.repo.find_blob(oid).map(|b| b.content().to_vec()).map_err(|e| e.message().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The changes libgit2's own tree diff reports, filtered as `deltas` filters them: the
    /// reference the id-skipping walk must agree with.
    fn libgit2_deltas(repo: &GitRepo, commits: &[(Oid, String)], root: &str) -> Vec<Vec<Delta>> {
        let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
        let tree = |c: Oid| repo.root_tree_id(c, root).unwrap().map(|t| repo.repo.find_tree(t).unwrap());
        let mut out = vec![Vec::new()];
        for w in commits.windows(2) {
            let (a, b) = (tree(w[0].0), tree(w[1].0));
            let diff = repo.repo.diff_tree_to_tree(a.as_ref(), b.as_ref(), None).unwrap();
            let mut changes = Vec::new();
            for d in diff.deltas() {
                let file = if d.new_file().exists() { d.new_file() } else { d.old_file() };
                let path = file.path().unwrap().to_str().unwrap();
                if !path.ends_with(".avsc") || path.split('/').any(|s| s.starts_with('.')) {
                    continue;
                }
                let side = |f: git2::DiffFile| if f.exists() && !f.id().is_zero() { Some(key(f.id())) } else { None };
                let (old, new) = (side(d.old_file()), side(d.new_file()));
                if old != new {
                    changes.push(Delta { path: format!("{prefix}{path}"), old, new });
                }
            }
            out.push(changes);
        }
        out
    }

    #[test]
    fn deltas_agree_with_a_full_tree_diff() {
        let dir = tempfile::tempdir().unwrap();
        let raw = Repository::init(dir.path()).unwrap();
        let sig = git2::Signature::now("t", "t@example.com").unwrap();
        // Each step: files written (path, contents; None removes), then a commit.
        let steps: Vec<Vec<(&str, Option<&str>)>> = vec![
            vec![("s/a.avsc", Some("1")), ("s/x/b.avsc", Some("1")), ("s/x-y.avsc", Some("1")), ("README", Some("r"))],
            vec![("s/a.avsc", Some("2")), ("s/x/c.avsc", Some("1")), ("s/.hidden/h.avsc", Some("1"))],
            // A file replaced by a directory of the same name, and a name sorting around `/`.
            vec![("s/x-y.avsc", None), ("s/x-y.avsc/d.avsc", Some("1")), ("s/x.avsc", Some("1"))],
            vec![
                ("s/x/b.avsc", None),
                ("s/x/c.avsc", Some("2")),
                ("s/x/deep/e.avsc", Some("1")),
                ("s/n.txt", Some("t")),
            ],
            // Nothing under the root changes.
            vec![("README", Some("r2"))],
            // A directory replaced by a file, and the root removed then restored.
            vec![("s/x-y.avsc/d.avsc", None), ("s/x-y.avsc", Some("3"))],
            vec![
                ("s/a.avsc", None),
                ("s/x.avsc", None),
                ("s/x-y.avsc", None),
                ("s/x/c.avsc", None),
                ("s/x/deep/e.avsc", None),
                ("s/.hidden/h.avsc", None),
                ("s/n.txt", None),
            ],
            vec![("s/a.avsc", Some("4")), ("s/z/f.avsc", Some("1"))],
        ];
        let mut parent: Option<Oid> = None;
        let mut commits = Vec::new();
        for (n, step) in steps.iter().enumerate() {
            for (path, contents) in step {
                let p = dir.path().join(path);
                match contents {
                    Some(c) => {
                        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                        std::fs::write(&p, c).unwrap();
                    }
                    None => {
                        std::fs::remove_file(&p).unwrap();
                        let _ = std::fs::remove_dir(p.parent().unwrap());
                    }
                }
            }
            let mut index = raw.index().unwrap();
            index.add_all(["*"], git2::IndexAddOption::DEFAULT, None).unwrap();
            index.update_all(["*"], None).unwrap();
            index.write().unwrap();
            let tree = raw.find_tree(index.write_tree().unwrap()).unwrap();
            let parents: Vec<git2::Commit> = parent.iter().map(|p| raw.find_commit(*p).unwrap()).collect();
            let refs: Vec<&git2::Commit> = parents.iter().collect();
            let c = raw.commit(Some("HEAD"), &sig, &sig, &format!("step {n}"), &tree, &refs).unwrap();
            parent = Some(c);
            commits.push((c, short(c)));
        }
        let repo = GitRepo::open(dir.path()).unwrap();
        for root in ["s", ""] {
            let ours = repo.deltas(&commits, root).unwrap();
            assert_eq!(ours, libgit2_deltas(&repo, &commits, root), "root `{root}`");
            assert!(ours.iter().map(Vec::len).sum::<usize>() > 15, "the steps change files: {ours:?}");
        }
        let ours = repo.deltas(&commits, "s").unwrap();
        let file_to_dir: Vec<&Delta> = ours[2].iter().filter(|d| d.path.starts_with("s/x-y.avsc")).collect();
        assert_eq!(file_to_dir.len(), 2, "{file_to_dir:?}");
        assert!(ours[4].is_empty() && ours[7].iter().all(|d| d.old.is_none()));
    }
}
