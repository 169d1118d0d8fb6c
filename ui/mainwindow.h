#pragma once

#include "services/clustersnapshot.h"

#include <QMainWindow>
#include <QString>

class QLabel;

namespace vigil::ui {

// The main window only composes: docks, views and actions. Each screen is its own widget in
// ui/, fed by models in models/. Lives on the UI thread; receives immutable snapshots.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    struct Options
    {
        QString patroniUrl;  // open on this cluster (--patroni)
        QString profileName; // or on this saved profile (--profile)
        bool readOnly = false;
    };

    explicit MainWindow(const Options &options, QWidget *parent = nullptr);
    ~MainWindow() override;

public Q_SLOTS:
    void showSnapshot(vigil::services::ClusterSnapshotPtr snapshot);
    void showConnectionProblem(const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createActions();
    void restoreLayout();
    void saveLayout();

    Options m_options;
    QLabel *m_banner = nullptr;
    QLabel *m_statusLabel = nullptr;
};

} // namespace vigil::ui
