//! Git access (git2): the base commit, one first-parent revwalk, trees read once per distinct
//! subtree, the index. Knows nothing of Avro; hands snapshots to `core::history`.

use crate::core::history::{BlobKey, Delta, FileEntry, Snapshot};
use crate::workspace::UsageError;
use git2::{ObjectType, Oid, Repository};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub struct GitRepo {
    repo: Repository,
    workdir: PathBuf,
    /// Listing of each subtree already read, by tree id: most subtrees repeat across commits.
    trees: HashMap<Oid, std::rc::Rc<Vec<(String, Oid)>>>,
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
        Ok(GitRepo { repo, workdir, trees: HashMap::new() })
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
            files.extend(listing.iter().map(|(p, oid)| FileEntry { path: format!("{prefix}{p}"), key: key(*oid) }));
        }
        Ok(Snapshot { label: label.to_string(), files })
    }

    /// `.avsc` blobs under a tree, with paths relative to it; cached per tree id.
    fn listing(&mut self, tree: Oid) -> Result<std::rc::Rc<Vec<(String, Oid)>>, UsageError> {
        if let Some(l) = self.trees.get(&tree) {
            return Ok(l.clone());
        }
        let mut out = Vec::new();
        let mut subtrees = Vec::new();
        {
            let t = self.repo.find_tree(tree).map_err(|e| git_err("cannot read tree", e))?;
            for e in t.iter() {
                let Ok(name) = e.name() else { continue };
                match e.kind() {
                    Some(ObjectType::Tree) if !name.starts_with('.') => subtrees.push((name.to_string(), e.id())),
                    Some(ObjectType::Blob) if name.ends_with(".avsc") && !name.starts_with('.') => {
                        out.push((name.to_string(), e.id()))
                    }
                    _ => {}
                }
            }
        }
        for (name, id) in subtrees {
            let sub = self.listing(id)?;
            out.extend(sub.iter().map(|(p, o)| (format!("{name}/{p}"), *o)));
        }
        let rc = std::rc::Rc::new(out);
        self.trees.insert(tree, rc.clone());
        Ok(rc)
    }

    /// The subtree at `root` in a commit, if it exists.
    fn root_tree(&self, commit: Oid, root: &str) -> Result<Option<git2::Tree<'_>>, UsageError> {
        let c = self.repo.find_commit(commit).map_err(|e| git_err("cannot read commit", e))?;
        let tree = c.tree().map_err(|e| git_err("cannot read tree", e))?;
        if root.is_empty() {
            return Ok(Some(tree));
        }
        match tree.get_path(Path::new(root)) {
            Ok(e) if e.kind() == Some(ObjectType::Tree) => Ok(self.repo.find_tree(e.id()).ok()),
            _ => Ok(None),
        }
    }

    /// The `.avsc` changes under `root` between consecutive commits: `out[i]` holds the
    /// changes from `commits[i - 1]` to `commits[i]` (`out[0]` is empty). Tree diffs skip
    /// unchanged subtrees by id, so the cost follows the changes, not the repository size.
    pub fn deltas(&self, commits: &[(Oid, String)], root: &str) -> Result<Vec<Vec<Delta>>, UsageError> {
        let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
        let mut out = vec![Vec::new()];
        let mut prev = match commits.first() {
            Some((c, _)) => self.root_tree(*c, root)?,
            None => return Ok(Vec::new()),
        };
        for (c, _) in &commits[1..] {
            let cur = self.root_tree(*c, root)?;
            let diff = self
                .repo
                .diff_tree_to_tree(prev.as_ref(), cur.as_ref(), None)
                .map_err(|e| git_err("cannot diff commits", e))?;
            let mut changes = Vec::new();
            for d in diff.deltas() {
                let file = if d.new_file().exists() { d.new_file() } else { d.old_file() };
                let Some(path) = file.path().and_then(|p| p.to_str()) else { continue };
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
            prev = cur;
        }
        Ok(out)
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
