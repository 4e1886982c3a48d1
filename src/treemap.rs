//! Squarified treemap layout (Bruls, Huizing and van Wijk): rectangles with areas proportional to sizes
//! and aspect ratios close to 1.

/// A rectangle in the layout's coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// Lays out `sizes` (largest first; zeros get empty rectangles) inside `area`, returning one rectangle per size.
pub fn squarify(sizes: &[u64], area: Rect) -> Vec<Rect> {
    let total: f64 = sizes.iter().map(|&s| s as f64).sum();
    let mut out = vec![Rect { x: area.x, y: area.y, w: 0.0, h: 0.0 }; sizes.len()];
    if total <= 0.0 || area.w <= 0.0 || area.h <= 0.0 {
        return out;
    }
    let scale = area.w * area.h / total;
    let areas: Vec<f64> = sizes.iter().map(|&s| s as f64 * scale).collect();
    let mut free = area;
    let mut start = 0;
    while start < areas.len() && areas[start] > 0.0 {
        let side = free.w.min(free.h);
        let mut end = start + 1;
        let mut best = worst(&areas[start..end], side);
        while end < areas.len() && areas[end] > 0.0 {
            let next = worst(&areas[start..=end], side);
            if next > best {
                break;
            }
            best = next;
            end += 1;
        }
        let row: f64 = areas[start..end].iter().sum();
        if free.w >= free.h {
            // The row is a column on the left.
            let width = row / free.h;
            let mut y = free.y;
            for (i, a) in areas[start..end].iter().enumerate() {
                let h = a / width;
                out[start + i] = Rect { x: free.x, y, w: width, h };
                y += h;
            }
            free = Rect { x: free.x + width, y: free.y, w: (free.w - width).max(0.0), h: free.h };
        } else {
            // The row is a strip along the top.
            let height = row / free.w;
            let mut x = free.x;
            for (i, a) in areas[start..end].iter().enumerate() {
                let w = a / height;
                out[start + i] = Rect { x, y: free.y, w, h: height };
                x += w;
            }
            free = Rect { x: free.x, y: free.y + height, w: free.w, h: (free.h - height).max(0.0) };
        }
        start = end;
    }
    out
}

/// The worst aspect ratio of a row of `areas` laid along a side of length `side`.
fn worst(areas: &[f64], side: f64) -> f64 {
    let sum: f64 = areas.iter().sum();
    let max = areas.iter().cloned().fold(f64::MIN, f64::max);
    let min = areas.iter().cloned().fold(f64::MAX, f64::min);
    let s2 = side * side;
    let r2 = sum * sum;
    (s2 * max / r2).max(r2 / (s2 * min))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_proportional_and_fill_the_rectangle_without_overlap() {
        let sizes = [6u64, 6, 4, 3, 2, 2, 1];
        let area = Rect { x: 0.0, y: 0.0, w: 6.0, h: 4.0 };
        let rects = squarify(&sizes, area);
        let total: f64 = rects.iter().map(|r| r.w * r.h).sum();
        assert!((total - 24.0).abs() < 1e-9);
        for (r, s) in rects.iter().zip(sizes) {
            assert!((r.w * r.h - s as f64).abs() < 1e-9, "{r:?} for {s}");
            assert!(r.x >= -1e-9 && r.y >= -1e-9 && r.x + r.w <= 6.0 + 1e-9 && r.y + r.h <= 4.0 + 1e-9);
        }
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                let overlap_w = (a.x + a.w).min(b.x + b.w) - a.x.max(b.x);
                let overlap_h = (a.y + a.h).min(b.y + b.h) - a.y.max(b.y);
                assert!(overlap_w <= 1e-9 || overlap_h <= 1e-9, "{a:?} overlaps {b:?}");
            }
        }
        // The classic example's first row: the two 6s stacked on the left, each 3 wide and 2 high.
        assert_eq!(rects[0], Rect { x: 0.0, y: 0.0, w: 3.0, h: 2.0 });
    }

    #[test]
    fn zero_sizes_and_empty_areas_give_empty_rectangles() {
        let rects = squarify(&[5, 0], Rect { x: 0.0, y: 0.0, w: 10.0, h: 10.0 });
        assert_eq!(rects[0].w * rects[0].h, 100.0);
        assert_eq!(rects[1].w * rects[1].h, 0.0);
        assert!(squarify(&[0, 0], Rect { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }).iter().all(|r| r.w == 0.0));
    }
}
