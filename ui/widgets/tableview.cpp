#include "ui/widgets/tableview.h"

#include "models/celltablemodel.h"

#include <QEvent>
#include <QHeaderView>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QStyle>
#include <QTimer>

namespace vigil::ui {

namespace {

// Rows measured when columns are sized to their contents: the visible ones first, then others
// up to this many (QHeaderView::resizeContentsPrecision). A table of thousands of sessions or
// alert events is not text-shaped whole on the UI thread for a column width.
constexpr int kMaxRowsToMeasure = 200;

// QHeaderView reserves room for the sort arrow in EVERY section once sorting is on (the
// section's height plus a margin, ~25 px each): a dozen columns fitted to their contents then
// waste ~300 px and the table scrolls sideways beside the topology. Only the sorted section
// draws the arrow, so only it gets the room.
class CompactHeader : public QHeaderView
{
public:
    using QHeaderView::QHeaderView;

protected:
    QSize sectionSizeFromContents(int logicalIndex) const override
    {
        QSize size = QHeaderView::sectionSizeFromContents(logicalIndex);
        if (isSortIndicatorShown() && logicalIndex != sortIndicatorSection() &&
            orientation() == Qt::Horizontal)
            size.rwidth() -= size.height() + style()->pixelMetric(QStyle::PM_HeaderMargin);
        return size;
    }
};

} // namespace

TableView::TableView(QAbstractItemModel *source, QWidget *parent)
    : QTableView(parent)
    , m_proxy(new QSortFilterProxyModel(this))
{
    setHorizontalHeader(new CompactHeader(Qt::Horizontal, this));
    m_proxy->setSourceModel(source);
    m_proxy->setSortRole(models::CellTableModel::SortRole);
    m_proxy->setDynamicSortFilter(true);
    setModel(m_proxy);
    setSortingEnabled(true);
    sortByColumn(0, Qt::AscendingOrder);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setWordWrap(false);
    setCornerButtonEnabled(false);
    verticalHeader()->setVisible(false);
    // Every row is one line (no word wrap), so all rows are as tall as one: a fixed height,
    // measured from the font (fitRowHeight), not ResizeToContents, which measures every cell of
    // every row each time rows arrive (66-72 ms on the UI thread for the alert history's 5,000
    // rows in the haproxy-killed drill, 2026-12-04).
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    horizontalHeader()->setResizeContentsPrecision(kMaxRowsToMeasure);
    fitRowHeight();
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setSectionsMovable(true);
    // Size the columns to the first real contents (a row may arrive empty, "connecting", and get
    // its figures a refresh later). After that a column only grows when new contents would be cut
    // off ("OK (3 ms)" becoming "Unreachable: …" during a failover), unless the user has set its
    // width by hand; small tables only, where measuring is cheap.
    auto autoSize = [this] {
        if (m_autoSizes > 0) {
            // A table on a hidden tab of a shown window is measured when it is shown (a
            // measurement is hundreds of cells shaped on the UI thread; nobody sees it now).
            if (window()->isVisible() && !isVisible()) {
                m_fitOnShow = true;
                return;
            }
            --m_autoSizes;
            fitColumns();
            return;
        }
        // A refresh may change many rows one signal at a time: measure once, after them all.
        if (m_growPending)
            return;
        m_growPending = true;
        QTimer::singleShot(0, this, [this] {
            m_growPending = false;
            growColumns();
        });
    };
    connect(source, &QAbstractItemModel::rowsInserted, this, autoSize);
    connect(source, &QAbstractItemModel::dataChanged, this, autoSize);
    // The newly sorted column needs the arrow's room (the others gave it up, see CompactHeader).
    connect(horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
            [this] { QTimer::singleShot(0, this, [this] { growColumns(); }); });
    connect(horizontalHeader(), &QHeaderView::sectionResized, this, [this](int logical) {
        if (!m_resizing && logical != horizontalHeader()->count() - 1)
            m_userSized.insert(logical);
    });
}

void TableView::fitRowHeight()
{
    // One line of text in the view's font, with the item's margins, or the decoration's height
    // (the state swatches) if that is taller: what ResizeToContents gave each one-line row.
    QStyleOptionViewItem option;
    initViewItemOption(&option);
    option.text = QStringLiteral("Xg");
    option.features |= QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration;
    const int height =
        style()->sizeFromContents(QStyle::CT_ItemViewItem, &option, QSize(), this).height();
    verticalHeader()->setMinimumSectionSize(0);
    verticalHeader()->setDefaultSectionSize(qMax(height, fontMetrics().height()) +
                                            (showGrid() ? 1 : 0));
}

void TableView::growColumns()
{
    if (!isVisible() || model()->rowCount() > kMaxRowsToMeasure)
        return;
    QHeaderView *header = horizontalHeader();
    const int last = header->count() - 1;
    m_resizing = true;
    bool grew = false;
    for (int c = 0; c < last; ++c) {
        if (header->isSectionHidden(c) || m_userSized.contains(c))
            continue;
        const int wanted = qMax(header->sectionSizeHint(c), sizeHintForColumn(c));
        if (wanted > header->sectionSize(c)) {
            header->resizeSection(c, wanted);
            grew = true;
        }
    }
    m_resizing = false;
    if (grew)
        Q_EMIT columnsGrew();
}

void TableView::fitColumns()
{
    m_resizing = true;
    m_userSized.clear();
    // Unstretched while measuring: the header keeps the last column's unstretched width as the
    // least it stretches to, and that must be its contents' width, not what it had before.
    QHeaderView *header = horizontalHeader();
    const bool stretch = header->stretchLastSection();
    header->setStretchLastSection(false);
    resizeColumnsToContents();
    header->setStretchLastSection(stretch);
    m_resizing = false;
    Q_EMIT columnsFitted();
}

int TableView::heightForRows(int rows) const
{
    return horizontalHeader()->sizeHint().height() + rows * verticalHeader()->defaultSectionSize() +
           horizontalScrollBar()->sizeHint().height() + 2 * frameWidth();
}

int TableView::contentsWidth() const
{
    // The columns as they are now (a column may be wider than its contents: sized by hand, or
    // for contents it had before), and the stretched last one as wide as its contents need.
    const QHeaderView *header = horizontalHeader();
    const int last = header->logicalIndex(header->count() - 1);
    int width = 0;
    for (int i = 0; i < header->count(); ++i) {
        if (header->isSectionHidden(i))
            continue;
        const int needed = qMax(header->sectionSizeHint(i), sizeHintForColumn(i));
        width += i == last && header->stretchLastSection() ? needed
                                                           : qMax(needed, header->sectionSize(i));
    }
    return width + 2 * frameWidth() +
           (verticalScrollBar()->isVisible() ? verticalScrollBar()->width() : 0);
}

bool TableView::allColumnsFit() const
{
    const QHeaderView *header = horizontalHeader();
    for (int i = 0; i < header->count(); ++i)
        if (!header->isSectionHidden(i) &&
            header->sectionSize(i) < qMax(header->sectionSizeHint(i), sizeHintForColumn(i)))
            return false;
    return true;
}

void TableView::showEvent(QShowEvent *event)
{
    QTableView::showEvent(event);
    if (!m_fitOnShow)
        return;
    m_fitOnShow = false;
    if (m_autoSizes > 0)
        --m_autoSizes;
    fitColumns();
}

void TableView::changeEvent(QEvent *event)
{
    QTableView::changeEvent(event);
    if (event->type() != QEvent::FontChange)
        return;
    fitRowHeight();
    if (m_fitPending)
        return;
    // Later, not now: QApplication::setFont() reaches the header and the view one at a time, and
    // the widths must be measured once both have the new font. The user's own widths were made for
    // the old font, so they give way here.
    m_fitPending = true;
    QTimer::singleShot(0, this, [this] {
        m_fitPending = false;
        fitColumns();
    });
}

} // namespace vigil::ui
