"""Paging of any API: where the next page is (`links`, `page_numbers`), where a page's rows are
(`items`), and walking the pages with caps (`follow`). OData's `$top`/`$skip` windows are in
`core/odata/paging.py`, because what `$top` means is OData's business."""
