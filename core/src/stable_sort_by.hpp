#pragma once
// A stable sort with one instantiation of std::stable_sort for the whole core.
//
// Design note. Each std::stable_sort instantiation (merge, move-merge, in-place merge) costs about 3 KB
// of WebAssembly; one per element type and comparator took 12 KB of a module on a 150 KB budget. Here the
// order is computed once on indices, through a comparator called by pointer, and then applied by moves.
// The indirect call costs little next to what the comparators compare (dates, strings). Dates, which the
// core sorts in a few small and nearly sorted lists (a rule's extra and excluded dates, the days a
// BYSETPOS picks, an activity's due and done dates in a period), are sorted by insertion instead of by a
// std::sort of their own.

#include "upkeep/dates.hpp"

#include <cstddef>
#include <utility>
#include <vector>

namespace upkeep {

/// The stable order of `n` elements: positions, first to last. `less(context, a, b)` compares the
/// elements at positions a and b.
std::vector<std::size_t>
stable_order(std::size_t n, bool (*less)(const void* context, std::size_t, std::size_t), const void* context);

/// std::sort(days.begin(), days.end()), by insertion: for short or nearly sorted lists.
void sort_days(std::vector<day_point>& days);

/// std::stable_sort(v.begin(), v.end(), less), for a vector.
template <class T, class Less> void stable_sort_by(std::vector<T>& v, const Less& less) {
    struct both {
        const std::vector<T>& items;
        const Less& less;
    } context{v, less};
    const std::vector<std::size_t> order = stable_order(
        v.size(),
        [](const void* c, std::size_t a, std::size_t b) {
            const auto& self = *static_cast<const both*>(c);
            return self.less(self.items[a], self.items[b]);
        },
        &context);
    std::vector<T> sorted;
    sorted.reserve(v.size());
    for (const std::size_t i : order)
        sorted.push_back(std::move(v[i]));
    v = std::move(sorted);
}

} // namespace upkeep
