//! Work spread over the cores for the parts of the core that are independent per item.

/// `f` on every item, side by side on up to eight threads, results in item order. Threads
/// take runs of items in turn (so uneven costs still keep every core busy); each has a large
/// stack, as the walks recurse as deep as schemas nest. Where no thread can be started, the
/// calling thread does it all.
pub fn map_mut<T: Send, R: Send>(items: &mut [T], f: impl Fn(&mut T) -> R + Sync) -> Vec<R> {
    const RUN: usize = 16;
    let threads =
        if items.len() < 4 * RUN { 1 } else { std::thread::available_parallelism().map_or(1, |n| n.get()).min(8) };
    if threads < 2 {
        return items.iter_mut().map(f).collect();
    }
    let mut runs: Vec<(usize, &mut [T])> = items.chunks_mut(RUN).enumerate().collect();
    // Taken front to back: run k is handed out before run k + 1.
    runs.reverse();
    let queue = std::sync::Mutex::new(runs);
    let take = || queue.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let work = || {
        let mut done = Vec::new();
        while let Some((k, run)) = take() {
            done.push((k, run.iter_mut().map(&f).collect::<Vec<R>>()));
        }
        done
    };
    let mut done: Vec<(usize, Vec<R>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(256 << 20).spawn_scoped(scope, work).ok())
            .collect();
        let mut all = work();
        for h in handles {
            all.extend(h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        }
        all
    });
    done.sort_unstable_by_key(|(k, _)| *k);
    done.into_iter().flat_map(|(_, r)| r).collect()
}

/// [`map_mut`] over shared items.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let mut refs: Vec<&T> = items.iter().collect();
    map_mut(&mut refs, |t| f(t))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_item_once_in_order() {
        for n in [0, 1, 63, 64, 65, 1000] {
            let mut items: Vec<usize> = (0..n).collect();
            let out = super::map_mut(&mut items, |x| {
                *x *= 2;
                *x + 1
            });
            assert_eq!(items, (0..n).map(|x| x * 2).collect::<Vec<_>>());
            assert_eq!(out, (0..n).map(|x| x * 2 + 1).collect::<Vec<_>>());
            assert_eq!(super::map(&items, |x| x + 1), out);
        }
    }
}
