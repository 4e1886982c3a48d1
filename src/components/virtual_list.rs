//! Long lists drawn a window at a time (the file explorer's tree, the compare view's paths): a scrolling box of
//! fixed height holds a spacer as tall as every row together, and only the rows in view, plus a few above and
//! below, are drawn at their absolute offsets. The work per scroll is the same for a hundred rows or a million.

use std::ops::Range;
use web_sys::HtmlElement;
use yew::prelude::*;

/// The geometry of a virtualised list.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    /// Height of one row in pixels (the CSS gives rows the same figure).
    pub row_height: f64,
    /// Height of the scrolling box in pixels.
    pub height: f64,
    /// Extra rows drawn above and below the box, so a fast scroll shows no blank band.
    pub overscan: usize,
}

impl Viewport {
    /// The rows to draw out of `total` when the box is scrolled `scroll_top` pixels down.
    pub fn window(&self, scroll_top: f64, total: usize) -> Range<usize> {
        let first = ((scroll_top.max(0.0) / self.row_height) as usize).saturating_sub(self.overscan).min(total);
        let last = (first + (self.height / self.row_height).ceil() as usize + 2 * self.overscan).min(total);
        first..last
    }

    /// The scroll offset that brings `row` fully into view from `scroll_top`, or `None` when it is in view already.
    pub fn scroll_to_show(&self, row: usize, scroll_top: f64) -> Option<f64> {
        let top = self.top(row);
        if top < scroll_top {
            Some(top)
        } else if top + self.row_height > scroll_top + self.height {
            Some(top + self.row_height - self.height)
        } else {
            None
        }
    }

    /// The offset of `row` from the top of the list.
    pub fn top(&self, row: usize) -> f64 {
        row as f64 * self.row_height
    }
}

/// A virtualised list's state in a component: where its box is scrolled, and the handlers and styles that keep the
/// drawn window in step with it.
#[derive(Clone)]
pub struct VirtualList {
    /// The list's geometry.
    pub viewport: Viewport,
    /// The scrolling box; give it to the element as `ref`.
    pub node: NodeRef,
    /// Give it to the scrolling box as `onscroll`.
    pub onscroll: Callback<Event>,
    scroll_top: UseStateHandle<f64>,
}

impl VirtualList {
    /// The rows to draw out of `total`.
    pub fn window(&self, total: usize) -> Range<usize> {
        self.viewport.window(*self.scroll_top, total)
    }

    /// Scrolls the box back to the first row (after the rows changed under it).
    pub fn reset(&self) {
        self.scroll_to(0.0);
    }

    /// Scrolls just enough to show `row` (for keyboard moves).
    pub fn show(&self, row: usize) {
        if let Some(next) = self.viewport.scroll_to_show(row, *self.scroll_top) {
            self.scroll_to(next);
        }
    }

    fn scroll_to(&self, top: f64) {
        if let Some(el) = self.node.cast::<HtmlElement>() {
            el.set_scroll_top(top as i32);
        }
        self.scroll_top.set(top);
    }

    /// The scrolling box's style.
    pub fn box_style(&self) -> String {
        format!("height:{}px", self.viewport.height)
    }

    /// The style of the spacer that holds `total` rows.
    pub fn spacer_style(&self, total: usize) -> String {
        format!("height:{}px", self.viewport.top(total))
    }

    /// The style that puts row `index` in its place.
    pub fn row_style(&self, index: usize) -> String {
        format!("top:{}px", self.viewport.top(index))
    }
}

/// Keeps a virtualised list's scroll state; the window follows the box's scroll events.
#[hook]
pub fn use_virtual_list(viewport: Viewport) -> VirtualList {
    let scroll_top = use_state(|| 0.0f64);
    let node = use_node_ref();
    let onscroll = {
        let scroll_top = scroll_top.clone();
        use_callback((), move |e: Event, _| {
            if let Some(el) = e.target_dyn_into::<HtmlElement>() {
                scroll_top.set(f64::from(el.scroll_top()));
            }
        })
    };
    VirtualList { viewport, node, onscroll, scroll_top }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: Viewport = Viewport { row_height: 26.0, height: 416.0, overscan: 8 };

    #[test]
    fn the_window_covers_the_box_and_the_overscan_and_never_passes_the_end() {
        assert_eq!(VIEW.window(0.0, 100_000), 0..32);
        // Scrolled to row 1,000: eight rows above, the 16 in view, and eight below.
        assert_eq!(VIEW.window(26_000.0, 100_000), 992..1024);
        assert_eq!(VIEW.window(26.0 * 99_990.0, 100_000), 99_982..100_000);
        assert_eq!(VIEW.window(1e12, 10), 10..10);
        assert_eq!(VIEW.window(-5.0, 3), 0..3);
        assert_eq!(VIEW.window(0.0, 0), 0..0);
        // A box that does not hold a whole number of rows draws the partly visible one too.
        let odd = Viewport { row_height: 30.0, height: 100.0, overscan: 0 };
        assert_eq!(odd.window(0.0, 50), 0..4);
    }

    #[test]
    fn scrolling_to_show_a_row_moves_only_when_it_is_out_of_view() {
        assert_eq!(VIEW.scroll_to_show(3, 0.0), None);
        assert_eq!(VIEW.scroll_to_show(15, 0.0), None);
        assert_eq!(VIEW.scroll_to_show(16, 0.0), Some(26.0));
        assert_eq!(VIEW.scroll_to_show(2, 260.0), Some(52.0));
        assert_eq!(VIEW.scroll_to_show(1000, 0.0), Some(26.0 * 1001.0 - 416.0));
    }
}
